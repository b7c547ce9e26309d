import { describe, expect, it } from 'vitest';
import { scrollToKeepCell } from './keep-cell-in-view.ts';

// A 390 × 844 screen: the header ends at 60, the inspector sheet starts at 464.
describe('scrollToKeepCell', () => {
  it('moves a cell whose response runs under the sheet up until its end shows above the sheet', () => {
    expect(scrollToKeepCell(700, 430, 60, 464)).toBe(700 - 456);
  });

  it('leaves a cell already in sight where it is', () => {
    expect(scrollToKeepCell(400, 200, 60, 464)).toBe(0);
  });

  it('never scrolls the Run bar under the header: a tall response starts below it instead', () => {
    expect(scrollToKeepCell(1400, 430, 60, 464)).toBe(430 - 68);
  });

  it('brings a Run bar scrolled above the header back down into sight', () => {
    expect(scrollToKeepCell(300, 20, 60, 464)).toBe(20 - 68);
  });
});
