import { useStrings } from '../../kit/lang-context.ts';
import { themeStrings } from './strings.ts';
import { setThemeChoice, THEME_CHOICES, useThemeChoice, type ThemeChoice } from '../../kit/theme-setting.ts';

/** What the closed select shows on a wide screen: the choice as a sign (its name is in the title and the select's value). */
const ICONS: Record<ThemeChoice, string> = { system: '◐', light: '☀', dark: '☾' };

/**
 * Light, dark or as the system says: a native select (keyboard and screen readers know it; three
 * states fit no toggle button), named by its label "Theme". In the header's row it is a round
 * button showing the choice as a sign (the Russian header had no room for «Как в системе»); in the
 * narrow screen's menu it shows its words (app.css).
 */
export function ThemeSwitch() {
  const t = useStrings(themeStrings);
  const choice = useThemeChoice();
  return (
    <label className="theme-switch">
      <span className="visually-hidden">{t.theme}</span>
      <select
        data-testid="theme-switch"
        value={choice}
        title={`${t.theme}: ${t.themes[choice]}`}
        onChange={(event) => setThemeChoice(event.currentTarget.value as ThemeChoice)}
      >
        {THEME_CHOICES.map((value) => (
          <option key={value} value={value}>
            {t.themes[value]}
          </option>
        ))}
      </select>
      <span className="theme-switch-icon" aria-hidden="true">
        {ICONS[choice]}
      </span>
    </label>
  );
}
