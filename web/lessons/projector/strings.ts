import type { PresenterAction } from './presenter-keys.ts';

export const projectorStrings = {
  en: {
    presenterTools: 'Presenter tools',
    projectorMode: 'Projector mode',
    projectorModeHint: 'Large type for the room, and a wider inspector (Alt+P)',
    keyboardShortcuts: 'Keyboard shortcuts',
    shortcutsTitle: 'Presenter keyboard',
    shortcutsIntro:
      'These keys work anywhere on a lesson page except while you type in an editor or a field: there, press Esc and then Tab to leave it first. Ctrl+Enter still runs the cell you are typing in.',
    close: 'Close',
    legendLabel: 'Shortcuts',
    nothingToRun: 'This section has no cell to run.',
    ran: (cell: string) => `Running the cell ${cell}.`,
    actions: {
      'next-section': 'next section',
      'previous-section': 'previous section',
      'run-cell': 'run the focused cell, or this section’s cell',
      'toggle-inspector': 'show or hide the inspector',
      'toggle-projector': 'projector mode on or off',
      'show-help': 'this list of keys',
    } satisfies Record<PresenterAction, string>,
    legend: {
      'next-section': 'next',
      'previous-section': 'back',
      'run-cell': 'run',
      'toggle-inspector': 'inspector',
      'toggle-projector': 'projector',
      'show-help': 'keys',
    } satisfies Record<PresenterAction, string>,
  },
  ru: {
    presenterTools: 'Для презентации',
    projectorMode: 'Режим проектора',
    projectorModeHint: 'Крупный шрифт для аудитории и широкий инспектор (Alt+P)',
    keyboardShortcuts: 'Горячие клавиши',
    shortcutsTitle: 'Клавиши для презентации',
    shortcutsIntro:
      'Эти клавиши работают на странице урока везде, кроме редактора и полей ввода: чтобы выйти из них, нажмите Esc, а затем Tab. Ctrl+Enter по-прежнему запускает ячейку, в которой вы печатаете.',
    close: 'Закрыть',
    legendLabel: 'Клавиши',
    nothingToRun: 'В этом разделе нет ячейки, которую можно запустить.',
    ran: (cell: string) => `Запускаем ячейку ${cell}.`,
    actions: {
      'next-section': 'следующий раздел',
      'previous-section': 'предыдущий раздел',
      'run-cell': 'запустить ячейку в фокусе или ячейку этого раздела',
      'toggle-inspector': 'показать или скрыть инспектор',
      'toggle-projector': 'включить или выключить режим проектора',
      'show-help': 'этот список клавиш',
    } satisfies Record<PresenterAction, string>,
    legend: {
      'next-section': 'дальше',
      'previous-section': 'назад',
      'run-cell': 'запуск',
      'toggle-inspector': 'инспектор',
      'toggle-projector': 'проектор',
      'show-help': 'клавиши',
    } satisfies Record<PresenterAction, string>,
  },
};
