import { useEffect, useState, type FormEvent } from 'react';
import type { Lang } from '../kit/lang-context.ts';
import { useLang, useStrings } from '../kit/lang-context.ts';
import { Link } from '../kit/router.tsx';
import { appStrings } from '../kit/strings.ts';
import { QUESTION_IDS, QUESTIONS, REASONS, recommend, type Answers, type ChooseText, type Recommendation } from './choose-protocol.ts';
import { chooseTextEn } from './choose-text.en.ts';
import { chooseTextRu } from './choose-text.ru.ts';
import { MATRIX, PROTOCOLS, USE_CASES, proofHref, type MatrixText, type Proof } from './matrix-data.ts';
import { matrixTextEn } from './matrix-text.en.ts';
import { matrixTextRu } from './matrix-text.ru.ts';
import { courseStrings } from './strings.ts';
import './course.css';

const MATRIX_TEXT: Record<Lang, MatrixText> = { en: matrixTextEn, ru: matrixTextRu };
const CHOOSE_TEXT: Record<Lang, ChooseText> = { en: chooseTextEn, ru: chooseTextRu };

/** The decision matrix and the "choose for me" questionnaire. */
export function MatrixPage() {
  const lang = useLang();
  const t = useStrings(courseStrings);
  const app = useStrings(appStrings);
  const text = MATRIX_TEXT[lang];

  useEffect(() => {
    document.title = `${t.matrixTitle} — ${app.appName}`;
  }, [t, app]);

  return (
    <div className="course-page course-page-wide" data-testid="matrix-page">
      <header className="course-header">
        <h1>{t.matrixTitle}</h1>
        <p className="lead">{t.matrixIntro}</p>
      </header>
      <div className="matrix-scroll">
        <table className="matrix" data-testid="matrix">
          <thead>
            <tr>
              <th scope="col">{t.useCase}</th>
              {PROTOCOLS.map((protocol) => (
                <th key={protocol} scope="col">
                  {text.protocols[protocol]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {USE_CASES.map((useCase) => (
              <tr key={useCase}>
                <th scope="row">{text.useCases[useCase]}</th>
                {PROTOCOLS.map((protocol) => {
                  const cell = MATRIX[useCase][protocol];
                  return (
                    <td
                      key={protocol}
                      className={`matrix-cell verdict-${cell.verdict}`}
                      data-testid="matrix-cell"
                      data-use-case={useCase}
                      data-protocol={protocol}
                      data-verdict={cell.verdict}
                    >
                      <span className="matrix-verdict">{text.verdicts[cell.verdict]}</span>
                      <span className="matrix-reason">{text.reasons[useCase][protocol]}</span>
                      <ProofLink proof={cell.proof} />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ChooseForMe />
    </div>
  );
}

function ProofLink({ proof }: { proof: Proof }) {
  const lang = useLang();
  const t = useStrings(courseStrings);
  const href = proofHref(proof, lang);
  // The lab is another part of the app (the compare page): a plain link works whether or not it is loaded.
  return 'lab' in proof ? (
    <a className="matrix-proof" href={href} data-testid="proof-link">
      {t.inTheLab} →
    </a>
  ) : (
    <Link className="matrix-proof" href={href} data-testid="proof-link">
      {t.seeIt} →
    </Link>
  );
}

function ChooseForMe() {
  const lang = useLang();
  const t = useStrings(courseStrings);
  const text = CHOOSE_TEXT[lang];
  const names = MATRIX_TEXT[lang].protocols;
  const [answers, setAnswers] = useState<Partial<Answers>>({});
  const [result, setResult] = useState<Recommendation | 'incomplete' | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const complete = QUESTION_IDS.every((id) => answers[id] !== undefined);
    setResult(complete ? recommend(answers as Answers) : 'incomplete');
  };

  return (
    <section className="choose" aria-labelledby="choose-title" data-testid="choose">
      <h2 id="choose-title">{t.chooseTitle}</h2>
      <p>{t.chooseIntro}</p>
      <form onSubmit={submit}>
        {QUESTION_IDS.map((id) => (
          <fieldset key={id} className="choose-question" data-question={id}>
            <legend>{text.questions[id].label}</legend>
            {(QUESTIONS[id] as readonly string[]).map((option) => (
              <label key={option} className="choose-option">
                <input
                  type="radio"
                  name={`choose-${id}`}
                  value={option}
                  checked={answers[id] === option}
                  onChange={() => {
                    setAnswers({ ...answers, [id]: option });
                    setResult(null);
                  }}
                />
                {(text.questions[id].options as Record<string, string>)[option]}
              </label>
            ))}
          </fieldset>
        ))}
        <button type="submit" className="button button-primary" data-testid="choose-submit">
          {t.chooseSubmit}
        </button>
      </form>
      {result === 'incomplete' && (
        <p className="cell-message cell-message-warning" role="alert">
          {t.chooseIncomplete}
        </p>
      )}
      {result && result !== 'incomplete' && (
        <div className="choose-result" role="status" data-testid="choose-result" data-protocol={result.protocol}>
          <h3>
            {t.recommendation}: <strong>{names[result.protocol]}</strong>
          </h3>
          {result.alternatives.length > 0 && (
            <p>
              {t.alternatives}: {result.alternatives.map((protocol) => names[protocol]).join(', ')}
            </p>
          )}
          <h4>{t.reasons}</h4>
          <ul>
            {result.reasons.map((reason) => (
              <li key={reason} data-reason={reason}>
                {text.reasons[reason]} <ProofLink proof={REASONS[reason]} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
