/** Exact average decision ordering, AUC and AMS. */
package org.glassbox.plugins.ado;
