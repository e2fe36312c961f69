/** Energy flow polynomials. */
package org.glassbox.plugins.efp;
