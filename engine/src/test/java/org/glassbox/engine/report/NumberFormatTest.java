package org.glassbox.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumberFormatTest {
  /** Table cells: passes and training counts are whole numbers, not 4.0000; measured values keep four decimals. */
  @Test
  void integersPrintWholeAndOtherNumbersWithFourDecimalsOrExponent() {
    assertEquals("4", HtmlReport.fmt((Number) 4));
    assertEquals("12", HtmlReport.fmt((Number) 12L));
    assertEquals("4.0000", HtmlReport.fmt((Number) 4.0));
    assertEquals("0.9981", HtmlReport.fmt(0.99812));
    assertEquals("1.235e-05", HtmlReport.fmt(1.2345e-5));
    assertEquals("–", HtmlReport.fmt(Double.NaN));
    assertEquals("16", HtmlReport.fmtWhole(16.0));
    assertEquals("368", HtmlReport.fmtWhole(368.0));
    assertEquals("0.5000", HtmlReport.fmtWhole(0.5));
    assertEquals("0.0000", HtmlReport.fmtWhole(0.0));
    assertEquals("15.2053", HtmlReport.fmtWhole(15.20531));
  }
}
