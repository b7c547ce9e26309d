import { useStrings } from '../lang-context.ts';
import { themeStrings } from './strings.ts';
import { setThemeChoice, THEME_CHOICES, useThemeChoice, type ThemeChoice } from './theme-setting.ts';

/**
 * Light, dark or as the system says: a native select (keyboard and screen readers know it; three
 * states fit no toggle button), its name the visible-to-readers label "Theme".
 */
export function ThemeSwitch() {
  const t = useStrings(themeStrings);
  const choice = useThemeChoice();
  return (
    <label className="theme-switch">
      <span className="visually-hidden">{t.theme}</span>
      <span className="theme-switch-icon" aria-hidden="true" />
      <select data-testid="theme-switch" value={choice} onChange={(event) => setThemeChoice(event.currentTarget.value as ThemeChoice)}>
        {THEME_CHOICES.map((value) => (
          <option key={value} value={value}>
            {t.themes[value]}
          </option>
        ))}
      </select>
    </label>
  );
}
