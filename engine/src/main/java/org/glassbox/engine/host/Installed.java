package org.glassbox.engine.host;

import org.glassbox.api.MethodProvider;

/**
 * A discovered provider with where it came from.
 *
 * @param spi the SPI's short name: attribution, maximization, clustering, surrogate, similarity
 * @param origin the module (or jar) that provides it
 */
public record Installed<S extends MethodProvider>(S provider, String spi, String origin) {}
