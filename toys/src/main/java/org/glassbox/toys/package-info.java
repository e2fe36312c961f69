/** Toy data generators. */
package org.glassbox.toys;
