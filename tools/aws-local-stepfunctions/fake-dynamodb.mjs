// An in-memory stand-in for the DynamoDB service integrations that the quorum export uses
// (putItem, getItem, updateItem), written for the expression forms the export writes:
// `SET path = :value, ...`, `ADD path :number`, and the conditions
// `attribute_not_exists(path)` and `path = :value`. Paths are `name.name...`, each name
// possibly a `#placeholder`. Anything else throws, so an unsupported expression is never
// silently misread.

const clone = (value) => structuredClone(value);

function fail(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

export class FakeDynamoDB {
  constructor() {
    this.tables = new Map();
  }

  table(name) {
    if (!this.tables.has(name)) this.tables.set(name, new Map());
    return this.tables.get(name);
  }

  putItem({ TableName, Item }) {
    this.table(TableName).set(Item.id.S, clone(Item));
    return {};
  }

  getItem({ TableName, Key }) {
    const item = this.table(TableName).get(Key.id.S);
    return item ? { Item: clone(item) } : {};
  }

  updateItem({ TableName, Key, UpdateExpression, ConditionExpression, ExpressionAttributeNames = {}, ExpressionAttributeValues = {}, ReturnValues }) {
    const item = this.table(TableName).get(Key.id.S);
    if (!item) throw fail("DynamoDB.ResourceNotFoundException", `no item ${Key.id.S}`);
    const path = (text) =>
      text.trim().split(".").map((part) => {
        if (!part.startsWith("#")) return part;
        if (!(part in ExpressionAttributeNames)) throw fail("DynamoDB.ValidationException", `unknown name ${part}`);
        return ExpressionAttributeNames[part];
      });
    const value = (ref) => {
      if (!(ref.trim() in ExpressionAttributeValues)) throw fail("DynamoDB.ValidationException", `unknown value ${ref}`);
      return clone(ExpressionAttributeValues[ref.trim()]);
    };
    const get = (steps) => steps.slice(1).reduce((node, step) => node?.M?.[step], item[steps[0]]);
    const set = (steps, newValue) => {
      if (steps.length === 1) {
        item[steps[0]] = newValue;
        return;
      }
      const parent = get(steps.slice(0, -1));
      if (!parent?.M) throw fail("DynamoDB.ValidationException", `no map at ${steps.slice(0, -1).join(".")}`);
      parent.M[steps.at(-1)] = newValue;
    };

    if (ConditionExpression) {
      let holds;
      const notExists = ConditionExpression.match(/^attribute_not_exists\((.+)\)$/);
      const equals = ConditionExpression.match(/^(.+)=(.+)$/);
      if (notExists) holds = get(path(notExists[1])) === undefined;
      else if (equals) holds = JSON.stringify(get(path(equals[1]))) === JSON.stringify(value(equals[2]));
      else throw fail("DynamoDB.ValidationException", `unsupported condition ${ConditionExpression}`);
      if (!holds) throw fail("DynamoDB.ConditionalCheckFailedException", "The conditional request failed");
    }

    for (const [, verb, body] of UpdateExpression.matchAll(/\b(SET|ADD)\b(.*?)(?=\b(?:SET|ADD|REMOVE|DELETE)\b|$)/g)) {
      for (const action of body.split(",")) {
        if (verb === "SET") {
          const [target, source] = action.split("=");
          set(path(target), value(source));
        } else {
          const [target, amount] = action.trim().split(/\s+/);
          const current = get(path(target));
          set(path(target), { N: String(Number(current?.N ?? 0) + Number(value(amount).N)) });
        }
      }
    }
    return ReturnValues === "ALL_NEW" ? { Attributes: clone(item) } : {};
  }
}
