/** Observables computed from particle lists: the SPI and its data type. */
package org.glassbox.api.observables;
