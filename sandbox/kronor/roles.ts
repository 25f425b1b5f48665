/**
 * What each merchant token role sees: Hasura hides from a role the fields and root operations it may not use, so a
 * query asking for them fails validation ("field 'X' not found in type: 'Y'") as if they did not exist. The
 * restricted schemas are the merchant schema with those parts cut out (see MERCHANT_ROLES in config.ts).
 */
import { buildASTSchema, Kind, parse, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { DETAILS_FIELD, DETAILS_TYPES, type MerchantRole } from './config.ts';

const MUTATION_ROOT = 'mutation_root';

/** The merchant schema's SDL as a role sees it. */
export function roleDocument(merchantSdl: string, role: MerchantRole): DocumentNode {
  const document = parse(merchantSdl);
  if (role === 'merchant-backend') return document;
  return visit(document, {
    ObjectTypeDefinition(node) {
      if (role === 'merchant-read-only' && node.name.value === MUTATION_ROOT) return null;
      if (role === 'payment-gateway' && (DETAILS_TYPES as readonly string[]).includes(node.name.value)) {
        return { ...node, fields: node.fields?.filter((field) => !DETAILS_FIELD.test(field.name.value)) };
      }
      return undefined;
    },
    SchemaDefinition(node) {
      if (role !== 'merchant-read-only') return undefined;
      return { ...node, operationTypes: node.operationTypes.filter((op) => op.operation !== 'mutation') };
    },
  });
}

export function roleSchema(merchantSdl: string, role: MerchantRole): GraphQLSchema {
  return buildASTSchema(roleDocument(merchantSdl, role));
}

/** Whether a role's document still names a field (for tests). */
export function typeHasField(document: DocumentNode, type: string, field: string): boolean {
  return document.definitions.some(
    (d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === type && Boolean(d.fields?.some((f) => f.name.value === field)),
  );
}
