// The words of a question about a lesson's capture file (capture-question-card.tsx), in their own
// module: only a lesson that carries such a question loads them.

export const captureQuestionStrings = {
  en: {
    openCapture: 'Open the capture',
    openCaptureAgain: 'Open the capture again',
    opening: 'Opening the capture in the inspector…',
    openFailed: (status: string) => `Could not fetch the capture (${status}). Reload the page and try again.`,
    opened: 'The capture is open in the inspector.',
    decoding: 'The inspector is still decoding the capture…',
    notOpened: 'Open the capture first: the answer is checked against its bytes.',
    pickNothing: (what: 'frame' | 'exchange'): string =>
      what === 'frame' ? 'Nothing selected yet: click a frame in the inspector’s list.' : 'Nothing selected yet: click an exchange in the inspector’s list.',
    pickNotThatKind: (what: 'frame' | 'exchange'): string =>
      what === 'frame'
        ? 'What is selected is not a frame: click a frame or message in the list.'
        : 'What is selected is not an exchange: click a request in the list.',
    selected: 'Selected:',
    answerWith: (what: 'frame' | 'exchange'): string => (what === 'frame' ? 'Answer with the selected frame' : 'Answer with the selected exchange'),
    valueLabel: 'Your answer',
    field: 'Field in the inspector:',
    fieldNothing: 'Click a field in the inspector’s tree to use its value, or type the answer.',
    useField: 'Use this field’s value',
    check: 'Check',
    noAnswer: 'Type an answer, or use a field’s value, then press Check.',
    passed: 'Well done — checked against the capture’s bytes. ✓',
    wrongPick: (what: 'frame' | 'exchange', picked: string): string =>
      what === 'frame'
        ? `Not this one: ${picked} is not the frame the question asks about. Read the question again and look through the frames.`
        : `Not this one: ${picked} is not the exchange the question asks about. Read the question again and look through the exchanges.`,
    wrongValue: 'Not quite: the capture shows something else there. Look at that field in the inspector again.',
    noValue: 'The capture has no such value where the question looks. Look at the question again.',
  },
  ru: {
    openCapture: 'Открыть запись',
    openCaptureAgain: 'Открыть запись ещё раз',
    opening: 'Запись открывается в инспекторе…',
    openFailed: (status: string) => `Не удалось загрузить запись (${status}). Обновите страницу и попробуйте ещё раз.`,
    opened: 'Запись открыта в инспекторе.',
    decoding: 'Инспектор ещё декодирует запись…',
    notOpened: 'Сначала откройте запись: ответ проверяется по её байтам.',
    pickNothing: (what: 'frame' | 'exchange'): string =>
      what === 'frame' ? 'Пока ничего не выбрано: щёлкните кадр в списке инспектора.' : 'Пока ничего не выбрано: щёлкните обмен в списке инспектора.',
    pickNotThatKind: (what: 'frame' | 'exchange'): string =>
      what === 'frame' ? 'Выбран не кадр: щёлкните кадр или сообщение в списке.' : 'Выбран не обмен: щёлкните запрос в списке.',
    selected: 'Выбрано:',
    answerWith: (what: 'frame' | 'exchange'): string => (what === 'frame' ? 'Ответить выбранным кадром' : 'Ответить выбранным обменом'),
    valueLabel: 'Ваш ответ',
    field: 'Поле в инспекторе:',
    fieldNothing: 'Щёлкните поле в дереве инспектора, чтобы подставить его значение, или введите ответ сами.',
    useField: 'Подставить значение поля',
    check: 'Проверить',
    noAnswer: 'Введите ответ или подставьте значение поля, затем нажмите «Проверить».',
    passed: 'Отлично — проверено по байтам записи. ✓',
    wrongPick: (what: 'frame' | 'exchange', picked: string): string =>
      what === 'frame'
        ? `Не этот: ${picked} — не тот кадр, о котором вопрос. Перечитайте вопрос и просмотрите кадры ещё раз.`
        : `Не этот: ${picked} — не тот обмен, о котором вопрос. Перечитайте вопрос и просмотрите обмены ещё раз.`,
    wrongValue: 'Не совсем: в записи там другое значение. Посмотрите на это поле в инспекторе ещё раз.',
    noValue: 'В записи нет такого значения там, где его ищет вопрос. Перечитайте вопрос.',
  },
};

export type CaptureQuestionStrings = (typeof captureQuestionStrings)['en'];
