import type {
  ASTVisitor,
  FieldNode,
  GraphQLField,
  GraphQLNamedType,
  OperationDefinitionNode,
  SelectionSetNode,
  ValidationContext,
  ValidationRule,
  VariableDefinitionNode,
} from 'graphql';
import { graphql } from './graphql-runtime.ts';
import { bilingual } from './messages.ts';

const { GraphQLError, Kind, SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef, getNamedType, isInterfaceType, isObjectType } = graphql;

export interface CostLimits {
  maxCost: number;
  maxAliases: number;
  /** the largest `first:` a list field accepts: a variable counts as this much */
  firstMax: number;
}

function fieldDefinition(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent && (isObjectType(parent) || isInterfaceType(parent))) return parent.getFields()[name];
  return undefined;
}

/**
 * How many times a field's selection is paid for: its `first:` argument (a literal, a variable's
 * default, or the largest value a variable could carry), else the schema's default, else 1.
 */
function multiplierOf(
  field: FieldNode,
  definition: GraphQLField<unknown, unknown> | undefined,
  variables: readonly VariableDefinitionNode[],
  firstMax: number,
): number {
  const argument = field.arguments?.find((a) => a.name.value === 'first');
  let value: number | undefined;
  if (argument?.value.kind === Kind.INT) value = Number(argument.value.value);
  else if (argument?.value.kind === Kind.VARIABLE) {
    const name = argument.value.name.value;
    const fallback = variables.find((v) => v.variable.name.value === name)?.defaultValue;
    value = fallback?.kind === Kind.INT ? Number(fallback.value) : firstMax;
  } else if (!argument) {
    const schemaDefault = definition?.args.find((a) => a.name === 'first')?.defaultValue;
    value = typeof schemaDefault === 'number' ? schemaDefault : 1;
  }
  // Past firstMax the resolver refuses anyway, with a clearer message than "too complex".
  return Math.max(1, Math.min(value ?? 1, firstMax));
}

/**
 * The cost of an operation: every field costs 1, and a field with `first: n` counts its
 * selection n times. `{ users(first: 10) { nodes { name posts(first: 5) { title } } } }`
 * costs 1 + 10 × (1 + 1 + 1 + 5 × 1) = 81. Fragments are priced once and reused, so a
 * document cannot make the pricing itself expensive.
 */
export function operationCost(context: ValidationContext, operation: OperationDefinitionNode, firstMax: number): number {
  const schema = context.getSchema();
  const variables = operation.variableDefinitions ?? [];
  const fragmentCosts = new Map<string, number>();
  const pricing = new Set<string>();

  function selectionCost(selectionSet: SelectionSetNode | undefined, parent: GraphQLNamedType | undefined): number {
    if (!selectionSet) return 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = fieldDefinition(parent, selection.name.value);
        const child = definition ? getNamedType(definition.type) : undefined;
        cost += 1 + multiplierOf(selection, definition, variables, firstMax) * selectionCost(selection.selectionSet, child);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += selectionCost(selection.selectionSet, type ?? undefined);
      } else {
        const name = selection.name.value;
        const known = fragmentCosts.get(name);
        if (known !== undefined) {
          cost += known;
          continue;
        }
        const fragment = context.getFragment(name);
        // A cycle or an unknown fragment: other rules report it; it adds nothing here.
        if (!fragment || pricing.has(name)) continue;
        pricing.add(name);
        const fragmentCost = selectionCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined);
        pricing.delete(name);
        fragmentCosts.set(name, fragmentCost);
        cost += fragmentCost;
      }
    }
    return cost;
  }

  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return selectionCost(operation.selectionSet, root ?? undefined);
}

/** Rejects an operation that costs more than `maxCost` (code QUERY_TOO_COMPLEX), before any resolver runs. */
export function costLimitRule(limits: CostLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const cost = operationCost(context, operation, limits.firstMax);
      if (cost <= limits.maxCost) return;
      const text = bilingual(
        `The operation costs ${cost}, more than the limit of ${limits.maxCost}: ask for fewer fields or smaller first: values.`,
        `Стоимость операции ${cost} — больше допустимых ${limits.maxCost}: запросите меньше полей или уменьшите first:.`,
      );
      context.reportError(
        new GraphQLError(text.en, { nodes: [operation], extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit: limits.maxCost, localized: text } }),
      );
    },
  });
}

/** Rejects a document with more than `maxAliases` aliases (code TOO_MANY_ALIASES). */
export function aliasLimitRule(limits: Pick<CostLimits, 'maxAliases'>): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(field) {
        if (!field.alias) return;
        aliases += 1;
        if (aliases !== limits.maxAliases + 1) return;
        const text = bilingual(`The document has more than ${limits.maxAliases} aliases.`, `В документе больше ${limits.maxAliases} псевдонимов (aliases).`);
        context.reportError(new GraphQLError(text.en, { nodes: [field], extensions: { code: 'TOO_MANY_ALIASES', limit: limits.maxAliases, localized: text } }));
      },
    };
  };
}
