// Runs before the first paint: a classic (blocking) script that index.html's head loads, so a page
// never flashes light before going dark. It sets <html data-theme="light|dark">, which every
// style sheet reads; web/kit/theme-setting.ts does the same afterwards (the switch, a change of the
// system's setting) and must agree with this file: same key, same values (theme-setting.test.ts).
// Plain ES5 and no imports: it is copied as it is (vite.config.ts, themeBootPlugin), not bundled.
(function () {
  var choice = null;
  try {
    choice = window.localStorage.getItem('wirelab.theme');
    // biome-ignore lint/correctness/noUnusedVariables: ES5 has no catch without a binding
  } catch (error) {
    // storage switched off: follow the system
  }
  var systemDark = Boolean(window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  var dark = choice === 'dark' || (choice !== 'light' && systemDark);
  document.documentElement.setAttribute('data-theme', dark ? 'dark' : 'light');
})();
