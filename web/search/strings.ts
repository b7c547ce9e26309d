import { russianPlural } from '../text/russian-plural.ts';

export const searchStrings = {
  en: {
    title: 'Search',
    label: 'Search the lessons and the glossary',
    placeholder: 'Search',
    submit: 'Search',
    loading: 'Preparing the search…',
    empty: 'Type a word to search the lessons and the glossary.',
    nothing: (query: string) => `Nothing found for “${query}”.`,
    found: (count: number, query: string) => `${count} ${count === 1 ? 'result' : 'results'} for “${query}”`,
    partial: 'No page has all these words; here are pages with some of them.',
    glossary: 'Glossary',
    lesson: 'Lesson',
  },
  ru: {
    title: 'Поиск',
    label: 'Поиск по урокам и глоссарию',
    placeholder: 'Поиск',
    submit: 'Найти',
    loading: 'Готовим поиск…',
    empty: 'Введите слово, чтобы искать в уроках и глоссарии.',
    nothing: (query: string) => `По запросу «${query}» ничего не нашлось.`,
    found: (count: number, query: string) => `По запросу «${query}» — ${count} ${russianPlural(count, 'результат', 'результата', 'результатов')}`,
    partial: 'Все эти слова не встречаются ни на одной странице; вот страницы, где есть часть из них.',
    glossary: 'Глоссарий',
    lesson: 'Урок',
  },
};
