// One plural rule for the whole project: shared/russian-plural.ts (Intl.PluralRules, CLDR).
export { countRu, russianPlural } from '../../shared/russian-plural.ts';
