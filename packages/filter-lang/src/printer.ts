/**
 * `print(ast)`: libsinsp's canonical form (`ast::as_string`). The engine prints compiled
 * conditions with it, and Falco users see this form in `-L`/validation output.
 */
import { NodeType, type Node } from './ast';
import { escapeValue } from './escaping';

export function print(node: Node): string {
  switch (node.type) {
    case NodeType.And:
      return `(${node.children.map(print).join(' and ')})`;
    case NodeType.Or:
      return `(${node.children.map(print).join(' or ')})`;
    case NodeType.Not:
      return `not ${print(node.child)}`;
    case NodeType.Identifier:
      return node.name;
    case NodeType.Field:
      return node.arg === undefined ? node.name : `${node.name}[${escapeValue(node.arg)}]`;
    case NodeType.Transformer: {
      const call = `${node.name}(${node.args.map(print).join(',')})`;
      return node.arg === undefined ? call : `${call}[${escapeValue(node.arg)}]`;
    }
    case NodeType.ArgList:
      return `(${node.elements.map(print).join(',')})`;
    case NodeType.Value:
      return escapeValue(node.value);
    case NodeType.List:
      return `(${node.items.map((v) => escapeValue(v.value)).join(', ')})`;
    case NodeType.UnaryCheck:
      return `${print(node.left)} ${node.operator}`;
    case NodeType.BinaryCheck: {
      const op = node.modifier ? `${node.operator} ${node.modifier}` : node.operator;
      return `${print(node.left)} ${op} ${print(node.right)}`;
    }
  }
}
