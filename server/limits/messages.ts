import type { Bilingual } from '../../shared/bilingual.ts';
import type { SlotRefusal } from './address-budget.ts';

/** What a client is told when a budget of its address or of the server is full. */
export function slotRefusalText(what: Bilingual, refusal: SlotRefusal): Bilingual {
  return refusal.scope === 'address'
    ? {
        en: `Too many ${what.en} from your network address: at most ${refusal.max} at once. Close some and try again.`,
        ru: `Слишком много ${what.ru} с вашего сетевого адреса: не больше ${refusal.max} одновременно. Закройте часть из них и попробуйте снова.`,
      }
    : {
        en: `The server holds as many ${what.en} as it can (${refusal.max}): try again later.`,
        ru: `На сервере открыто предельное число ${what.ru} (${refusal.max}): попробуйте позже.`,
      };
}

/** A refused request: the address has used its budget for now. */
export function rateRefusalText(what: Bilingual, max: number, windowMs: number, retryAfterS: number): Bilingual {
  const seconds = windowMs / 1000;
  return {
    en: `Too many ${what.en} from your network address: at most ${max} per ${seconds} s. Retry in ${retryAfterS} s.`,
    ru: `Слишком много ${what.ru} с вашего сетевого адреса: не больше ${max} за ${seconds} с. Повторите через ${retryAfterS} с.`,
  };
}

/** The text for a refusal by any of a ConnectionQuota's budgets; `ofSession` when the key's own was full. */
export function quotaRefusalText(what: Bilingual, refusal: { scope: 'session' | SlotRefusal['scope']; max: number }, ofSession: Bilingual): Bilingual {
  return refusal.scope === 'session' ? ofSession : slotRefusalText(what, { scope: refusal.scope, max: refusal.max });
}

/** A request that would create one sandbox too many from this address. */
export function sandboxRefusalText(max: number, windowMs: number, retryAfterS: number): Bilingual {
  return {
    en: `Too many new sandboxes from your network address: at most ${max} per ${windowMs / 1000} s. Retry in ${retryAfterS} s, or keep one session (cookie) or X-Wirelab-Sandbox for your requests.`,
    ru: `С вашего сетевого адреса создано слишком много новых песочниц: не больше ${max} за ${windowMs / 1000} с. Повторите через ${retryAfterS} с или отправляйте запросы с одной сессией (cookie) или одним X-Wirelab-Sandbox.`,
  };
}
