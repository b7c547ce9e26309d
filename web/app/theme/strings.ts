// Apart from web/kit/strings.ts: the select loads after the page's content (app-header.tsx), and its words with it.
export const themeStrings = {
  en: {
    theme: 'Theme',
    themes: { system: 'System', light: 'Light', dark: 'Dark' },
  },
  ru: {
    theme: 'Тема оформления',
    themes: { system: 'Как в системе', light: 'Светлая', dark: 'Тёмная' },
  },
};
