/** Strings every code editor shares, whatever its protocol. */
export const editorStrings = {
  en: {
    keysHint: 'Esc, then Tab: leave the editor · Ctrl+M: Tab always moves focus',
    keysHintTabMoves: 'Tab moves focus now · Ctrl+M: Tab indents again',
    resetDraft: 'Reset',
    resetDraftHint: 'Put back what the lesson wrote in this cell (your edits are kept in this browser, across reloads, until then)',
    lookAgain: 'Look again',
    lookingAgain: 'Looking…',
    lookAgainHint: 'The bytes may still come: on a busy machine they reach the page seconds late. A click looks for them again.',
  },
  ru: {
    keysHint: 'Esc, затем Tab — выйти из редактора · Ctrl+M — Tab всегда переводит фокус',
    keysHintTabMoves: 'Сейчас Tab переводит фокус · Ctrl+M — Tab снова делает отступ',
    resetDraft: 'Сбросить',
    resetDraftHint: 'Вернуть то, что было в этой ячейке в уроке (до тех пор ваши правки хранятся в этом браузере и переживают перезагрузку)',
    lookAgain: 'Поискать снова',
    lookingAgain: 'Ищем…',
    lookAgainHint: 'Байты ещё могут прийти: на загруженной машине они доходят до страницы с опозданием в несколько секунд. Нажмите, чтобы поискать их снова.',
  },
};
