import type { AsCodeResult } from './generated.ts';
import type { AsCodeLanguage } from './languages.ts';
import type { AsCodeTarget, MqttSpec } from './spec.ts';

export function mqttAsCode(spec: MqttSpec, language: AsCodeLanguage, _target: AsCodeTarget): AsCodeResult {
  return { language, unsupported: { en: `Not written yet for ${spec.kind}.`, ru: `Для ${spec.kind} пока не написано.` } };
}
