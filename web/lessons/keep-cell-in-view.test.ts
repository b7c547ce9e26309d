import { describe, expect, it } from 'vitest';
import { readerLeftCell, scrollToKeepCell } from './keep-cell-in-view.ts';

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

describe('readerLeftCell', () => {
  it('says the reader went on once no part of the cell is on screen, above the header or below the window', () => {
    expect(readerLeftCell(-900, 60, 60, 844)).toBe(true);
    expect(readerLeftCell(844, 1300, 60, 844)).toBe(true);
  });

  it('keeps a cell any part of which is on screen, under the sheet included, as the one to bring up', () => {
    expect(readerLeftCell(-900, 61, 60, 844)).toBe(false);
    expect(readerLeftCell(843, 1300, 60, 844)).toBe(false);
    expect(readerLeftCell(500, 900, 60, 844)).toBe(false);
  });
});
