import { useMemo, useState } from 'react';
import { useStrings } from '../../kit/lang-context.ts';
import { buildDocsIndex, searchDocs, type DocsField, type DocsType } from './schema-docs.ts';
import { loadSchema, useSchema } from './schema-store.ts';
import { graphqlEditorStrings } from './strings.ts';

/** The schema as the server describes it (introspection): types, fields, arguments, descriptions. */
export function DocsExplorer() {
  const t = useStrings(graphqlEditorStrings);
  const schema = useSchema();
  const index = useMemo(() => (schema.status === 'ready' ? buildDocsIndex(schema.schema) : null), [schema]);
  const [history, setHistory] = useState<string[]>([]);
  const [search, setSearch] = useState('');
  if (schema.status === 'loading') return <aside className="graphql-docs">{t.schemaLoading}</aside>;
  if (schema.status === 'error' || !index) {
    return (
      <aside className="graphql-docs">
        {schema.status === 'error' ? t.schemaFailed(schema.message) : ''}{' '}
        <button type="button" className="link-button" onClick={() => loadSchema()}>
          {t.retry}
        </button>
      </aside>
    );
  }
  const open = (name: string) => {
    if (index.byName.has(name)) setHistory((previous) => [...previous, name]);
  };
  const current = history.length > 0 ? index.byName.get(history[history.length - 1]) : undefined;
  return (
    <aside className="graphql-docs" data-testid="graphql-docs-panel" aria-label={t.docs}>
      {current ? (
        <TypeView type={current} onOpen={open} onBack={() => setHistory((previous) => previous.slice(0, -1))} />
      ) : (
        <>
          <input
            type="search"
            className="graphql-docs-search"
            placeholder={t.docsSearch}
            aria-label={t.docsSearch}
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <ul className="graphql-docs-types">
            {searchDocs(index, search).map((type) => (
              <li key={type.name}>
                <button type="button" className="link-button" data-testid="graphql-docs-type" onClick={() => open(type.name)}>
                  {type.name}
                </button>{' '}
                <span className="graphql-docs-category">{t.categories[type.category]}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}

function TypeView({ type, onOpen, onBack }: { type: DocsType; onOpen(name: string): void; onBack(): void }) {
  const t = useStrings(graphqlEditorStrings);
  return (
    <div data-testid="graphql-docs-typeview" data-type={type.name}>
      <button type="button" className="link-button" onClick={onBack}>
        ← {t.docsBack}
      </button>
      <h4>
        {type.name} <span className="graphql-docs-category">{t.categories[type.category]}</span>
      </h4>
      <p className="graphql-docs-description">{type.description ?? t.docsNoDescription}</p>
      {type.fields.length > 0 && (
        <>
          <h5>{type.category === 'input' ? t.docsInputFields : t.docsFields}</h5>
          <ul className="graphql-docs-fields">
            {type.fields.map((field) => (
              <FieldView key={field.name} field={field} onOpen={onOpen} />
            ))}
          </ul>
        </>
      )}
      {type.enumValues.length > 0 && (
        <>
          <h5>{t.docsValues}</h5>
          <ul className="graphql-docs-fields">
            {type.enumValues.map((value) => (
              <li key={value.name}>
                <code>{value.name}</code>
                {value.description && <p className="graphql-docs-description">{value.description}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function FieldView({ field, onOpen }: { field: DocsField; onOpen(name: string): void }) {
  const t = useStrings(graphqlEditorStrings);
  return (
    <li data-testid="graphql-docs-field" data-field={field.name}>
      <code>
        {field.name}
        {field.args.length > 0 && (
          <>
            (
            {field.args.map((argument, index) => (
              <span key={argument.name}>
                {index > 0 && ', '}
                {argument.name}: <TypeLink type={argument.type} name={argument.typeName} onOpen={onOpen} />
                {argument.defaultValue !== undefined && ` = ${argument.defaultValue}`}
              </span>
            ))}
            )
          </>
        )}
        : <TypeLink type={field.type} name={field.typeName} onOpen={onOpen} />
        {field.defaultValue !== undefined && ` = ${field.defaultValue}`}
      </code>
      {field.description && <p className="graphql-docs-description">{field.description}</p>}
      {field.args.some((argument) => argument.description) && (
        <ul className="graphql-docs-args" aria-label={t.docsArgs}>
          {field.args
            .filter((argument) => argument.description)
            .map((argument) => (
              <li key={argument.name}>
                <code>{argument.name}</code>: {argument.description}
              </li>
            ))}
        </ul>
      )}
    </li>
  );
}

function TypeLink({ type, name, onOpen }: { type: string; name: string; onOpen(name: string): void }) {
  const [before, after] = type.split(name);
  return (
    <>
      {before}
      <button type="button" className="link-button graphql-type-link" onClick={() => onOpen(name)}>
        {name}
      </button>
      {after}
    </>
  );
}
