/** Strings every code editor shares, whatever its protocol. */
export const editorStrings = {
  en: {
    keysHint: 'Esc, then Tab: leave the editor · Ctrl+M: Tab always moves focus',
    keysHintTabMoves: 'Tab moves focus now · Ctrl+M: Tab indents again',
  },
  ru: {
    keysHint: 'Esc, затем Tab — выйти из редактора · Ctrl+M — Tab всегда переводит фокус',
    keysHintTabMoves: 'Сейчас Tab переводит фокус · Ctrl+M — Tab снова делает отступ',
  },
};
