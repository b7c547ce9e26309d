import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

// What the docs explorer shows: the schema's types in plain data, so the view stays simple and
// the model can be tested without a browser.

export type TypeCategory = 'root' | 'object' | 'input' | 'enum' | 'scalar' | 'interface' | 'union';

export interface DocsArgument {
  name: string;
  /** as written in SDL: "ID!", "[Role!]" */
  type: string;
  /** the named type to open on click */
  typeName: string;
  defaultValue?: string;
  description?: string;
}

export interface DocsField {
  name: string;
  type: string;
  typeName: string;
  description?: string;
  args: DocsArgument[];
  /** input fields only */
  defaultValue?: string;
  deprecated?: string;
}

export interface DocsType {
  name: string;
  category: TypeCategory;
  description?: string;
  fields: DocsField[];
  enumValues: Array<{ name: string; description?: string }>;
  possibleTypes: string[];
}

export interface DocsIndex {
  /** Query, Mutation, Subscription first, then the rest by name */
  types: DocsType[];
  byName: Map<string, DocsType>;
}

export function buildDocsIndex(schema: GraphQLSchema): DocsIndex {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((type): type is NonNullable<typeof type> =>
    Boolean(type),
  );
  const rootNames = new Set(roots.map((type) => type.name));
  const rest = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && !rootNames.has(type.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  const types = [...roots, ...rest].map((type) => describeType(type, rootNames.has(type.name)));
  return { types, byName: new Map(types.map((type) => [type.name, type])) };
}

function describeType(type: GraphQLNamedType, root: boolean): DocsType {
  const base: DocsType = {
    name: type.name,
    category: root ? 'root' : categoryOf(type),
    ...(type.description ? { description: type.description } : {}),
    fields: [],
    enumValues: [],
    possibleTypes: [],
  };
  if (isObjectType(type) || isInterfaceType(type)) {
    base.fields = Object.values(type.getFields()).map((field) => ({
      name: field.name,
      type: String(field.type),
      typeName: getNamedType(field.type).name,
      ...(field.description ? { description: field.description } : {}),
      ...(field.deprecationReason ? { deprecated: field.deprecationReason } : {}),
      args: field.args.map(describeArgument),
    }));
  } else if (isInputObjectType(type)) {
    base.fields = Object.values(type.getFields()).map((field) => ({ ...describeArgument(field), args: [] }));
  } else if (isEnumType(type)) {
    base.enumValues = type.getValues().map((value) => ({ name: value.name, ...(value.description ? { description: value.description } : {}) }));
  } else if (isUnionType(type)) {
    base.possibleTypes = type.getTypes().map((member) => member.name);
  }
  return base;
}

function describeArgument(argument: GraphQLArgument | GraphQLInputField): DocsArgument {
  return {
    name: argument.name,
    type: String(argument.type),
    typeName: getNamedType(argument.type).name,
    ...(argument.defaultValue !== undefined ? { defaultValue: JSON.stringify(argument.defaultValue) } : {}),
    ...(argument.description ? { description: argument.description } : {}),
  };
}

function categoryOf(type: GraphQLNamedType): TypeCategory {
  if (isObjectType(type)) return 'object';
  if (isInputObjectType(type)) return 'input';
  if (isEnumType(type)) return 'enum';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  if (isScalarType(type)) return 'scalar';
  return 'object';
}

/** Types whose name, description or field names contain the search text (case-insensitive). */
export function searchDocs(index: DocsIndex, text: string): DocsType[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return index.types;
  return index.types.filter(
    (type) =>
      type.name.toLowerCase().includes(needle) ||
      (type.description ?? '').toLowerCase().includes(needle) ||
      type.fields.some((field) => field.name.toLowerCase().includes(needle)),
  );
}
