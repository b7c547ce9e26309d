export const glossaryStrings = {
  en: {
    title: 'Glossary',
    lead: "The course's terms, each with its Russian name, a short definition and the lessons that use it.",
    otherName: 'In Russian',
    alsoCalled: 'Also:',
    notWritten: 'We do not write:',
    usedIn: 'In the lessons:',
    letters: 'Terms by letter',
    termsInLesson: 'Terms in this lesson',
    allTerms: 'All terms in the glossary',
  },
  ru: {
    title: 'Глоссарий',
    lead: 'Термины курса: у каждого английское название, короткое определение и уроки, где он встречается.',
    otherName: 'По-английски',
    alsoCalled: 'Также:',
    notWritten: 'Не пишем:',
    usedIn: 'В уроках:',
    letters: 'Термины по буквам',
    termsInLesson: 'Термины урока',
    allTerms: 'Все термины в глоссарии',
  },
};
