import { useEffect, useState } from 'react';

const WIDTH_KEY = 'wirelab.inspectorWidth';
export const MIN_WIDTH = 360;
const DEFAULT_WIDTH = 560;

function storedWidth(): number {
  try {
    const value = Number(localStorage.getItem(WIDTH_KEY));
    return Number.isFinite(value) && value >= MIN_WIDTH ? value : DEFAULT_WIDTH;
  } catch {
    return DEFAULT_WIDTH;
  }
}

/** The dock's width beside the text, kept in this browser between pages and visits. */
export function useDockWidth(): [number, (width: number) => void] {
  const [width, setWidth] = useState(storedWidth);
  useEffect(() => {
    try {
      localStorage.setItem(WIDTH_KEY, String(Math.round(width)));
    } catch {
      // the width is a comfort, not state worth an error
    }
  }, [width]);
  return [width, setWidth];
}
