import { formatDate } from './date-filter.js';
import { Liquid, Tag, type Context, type Emitter, type TagToken, type Template, type TopLevelToken } from 'liquidjs';

type Parser = ConstructorParameters<typeof Tag>[2] extends infer L ? (L extends Liquid ? Liquid['parser'] : never) : never;

/**
 * `{% editable "hook" %}example text{% endeditable %}`: a region a rep may rewrite in a
 * manual email. Rendering it yields its content (the example text, or what the rep wrote).
 */
class EditableTag extends Tag {
  readonly regionName: string;
  readonly templates: Template[] = [];

  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid);
    const quoted = this.tokenizer.readQuoted();
    const name = quoted ? quoted.content : this.tokenizer.readIdentifier().content;
    if (!name) throw this.tokenizer.error('editable needs a region name, like {% editable "intro" %}');
    this.regionName = name;
    while (remainTokens.length > 0) {
      const next = remainTokens.shift()!;
      if (next.kind === TAG_KIND && (next as TagToken).name === 'endeditable') return;
      this.templates.push(parser.parseToken(next, remainTokens));
    }
    throw new Error(`tag ${token.getText()} not closed: add {% endeditable %}`);
  }

  *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    yield this.liquid.renderer.renderTemplates(this.templates, context, emitter);
  }

  *children(): Generator<unknown, Template[]> {
    return this.templates;
  }
}

// TokenKind.Tag in liquidjs; the enum is not exported from the package entry.
const TAG_KIND = 4;

/** Filters a template may use; anything else is an error at validation. */
export function createLiquid(): Liquid {
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    ownPropertyOnly: true,
    jsTruthy: false,
    greedy: false,
    cache: false,
  });
  liquid.registerTag('editable', EditableTag);
  liquid.registerFilter('date', function (this: { context: Context }, value: unknown, format = '%Y-%m-%d %H:%M') {
    const lead = this.context.getSync(['lead']) as { timezone?: string; language?: string } | undefined;
    return formatDate(value, String(format), lead?.timezone ?? 'UTC', lead?.language);
  });
  return liquid;
}

export { EditableTag };
