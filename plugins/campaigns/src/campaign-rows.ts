import * as v from 'valibot';
import { campaignInput, type CampaignInput } from './campaign-schema';
import type { CampaignScope, CampaignTerms, LiveCampaign } from './campaign-terms';
import { int, intOrNull, json, oneOf, text, textOrNull, type Row } from './rows';

/** A stored campaign: what the merchant submitted, plus its id, status and times. */
export type Campaign = CampaignInput & {
  id: string;
  status: 'active' | 'disabled';
  createdAt: number;
  updatedAt: number;
};

export const campaignColumns = [
  'id', 'name', 'description', 'kind', 'status', 'priority', 'starts_at', 'ends_at', 'scope', 'scope_ids',
  'tiers', 'repeat_max_off', 'percent_off_bps', 'gift_threshold', 'gift_sku_id', 'gift_quantity', 'gift_name', 'created_at', 'updated_at',
].join(', ');

function termsOf(row: Row): unknown {
  const kind = text(row, 'kind');
  if (kind === 'tiered_reduction') {
    const cap = intOrNull(row, 'repeat_max_off');
    return { kind, tiers: json(row, 'tiers'), repeat: cap === null ? null : { maxOff: cap } };
  }
  if (kind === 'discount') return { kind, percentOffBps: int(row, 'percent_off_bps') };
  return { kind, threshold: int(row, 'gift_threshold'), skuId: text(row, 'gift_sku_id'), quantity: int(row, 'gift_quantity'), giftName: textOrNull(row, 'gift_name') ?? '' };
}

/**
 * A row back in the shape the merchant submits, read through the same schema: a row the schema
 * would not accept is a bug (the table's constraints should have stopped it), so it throws.
 */
export function campaignOf(row: Row): Campaign {
  const scope = oneOf(row, 'scope', ['all', 'categories', 'products'] as const);
  const input = v.parse(campaignInput, {
    name: text(row, 'name'),
    description: text(row, 'description'),
    priority: int(row, 'priority'),
    window: { startsAt: int(row, 'starts_at'), endsAt: int(row, 'ends_at') },
    scope: scope === 'all' ? { type: 'all' } : { type: scope, ids: json(row, 'scope_ids') },
    terms: termsOf(row),
  });
  return {
    id: text(row, 'id'),
    ...input,
    status: oneOf(row, 'status', ['active', 'disabled'] as const),
    createdAt: int(row, 'created_at'),
    updatedAt: int(row, 'updated_at'),
  };
}

export function termsFrom(input: CampaignInput['terms']): CampaignTerms {
  switch (input.kind) {
    case 'tiered_reduction':
      return { kind: input.kind, tiers: input.tiers.map((t) => ({ threshold: t.threshold, off: t.off })), repeat: input.repeat ? { maxOff: input.repeat.maxOff } : null };
    case 'discount':
      return { kind: input.kind, percentOffBps: input.percentOffBps };
    case 'gift':
      return { kind: input.kind, threshold: input.threshold, skuId: input.skuId, quantity: input.quantity, giftName: input.giftName };
  }
}

export function scopeFrom(input: CampaignInput['scope']): CampaignScope {
  return input.type === 'all' ? { type: 'all' } : { type: input.type, ids: [...input.ids] };
}

/** What pricing needs of a campaign, as plain data. */
export function liveOf(c: Campaign): LiveCampaign {
  return { id: c.id, name: c.name, priority: c.priority, startsAt: c.window.startsAt, endsAt: c.window.endsAt, scope: scopeFrom(c.scope), terms: termsFrom(c.terms) };
}

/** The columns a campaign's input sets. */
export function columnsOf(input: CampaignInput): Record<string, string | number | null> {
  const t = input.terms;
  return {
    name: input.name,
    description: input.description,
    kind: t.kind,
    priority: input.priority,
    starts_at: input.window.startsAt,
    ends_at: input.window.endsAt,
    scope: input.scope.type,
    scope_ids: JSON.stringify(input.scope.type === 'all' ? [] : input.scope.ids),
    tiers: t.kind === 'tiered_reduction' ? JSON.stringify(t.tiers.map((x) => ({ threshold: x.threshold, off: x.off }))) : null,
    repeat_max_off: t.kind === 'tiered_reduction' && t.repeat ? t.repeat.maxOff : null,
    percent_off_bps: t.kind === 'discount' ? t.percentOffBps : null,
    gift_threshold: t.kind === 'gift' ? t.threshold : null,
    gift_sku_id: t.kind === 'gift' ? t.skuId : null,
    gift_quantity: t.kind === 'gift' ? t.quantity : null,
    gift_name: t.kind === 'gift' ? t.giftName : null,
  };
}
