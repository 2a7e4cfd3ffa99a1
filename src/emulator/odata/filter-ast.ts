/** The syntax tree of an OData `$filter` (the subset Graph documents for the collector's endpoints). */

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'datetime' | 'guid';

export interface LiteralNode {
  kind: 'literal';
  type: LiteralType;
  value: string | number | boolean | null;
  /** Datetime literals: their comparable value (parseDateTime). */
  time?: number;
}

/** `status/errorCode`, or `t/id` inside a lambda whose variable is `t`. */
export interface PathNode {
  kind: 'path';
  segments: string[];
}

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; op: ComparisonOperator; left: FilterNode; right: FilterNode }
  | { kind: 'in'; operand: FilterNode; list: LiteralNode[] }
  | { kind: 'call'; name: 'startswith'; args: FilterNode[] }
  | {
      kind: 'lambda';
      collection: PathNode;
      quantifier: 'any' | 'all';
      variable?: string;
      body?: FilterNode;
    }
  | PathNode
  | LiteralNode;
