export const workbenchStrings = {
  en: {
    cellLabel: (cellId: string) => `Protobuf workbench “${cellId}”`,
    messageType: 'Message type',
    teachingTypes: 'Workbench types (every scalar kind)',
    wirelabTypes: 'Wirelab services',
    otherTypes: 'Health, reflection, google.rpc, well-known types',
    noSchema: 'No schema: read the bytes alone',
    jsonLabel: 'The value in protobuf JSON',
    jsonHint: 'Edit the JSON: the bytes follow. Completion (Ctrl+Space) knows the fields of the type.',
    hexLabel: 'The same value as bytes (hex)',
    hexHint: 'Edit the hex: the decoding below follows, and the JSON too when the bytes parse.',
    reset: 'Start over',
    binarySize: (bytes: number) => `binary: ${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`,
    jsonSize: (bytes: number) => `compact JSON: ${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`,
    ratio: (percent: number) => `the binary is ${percent}% of the JSON`,
    emptyMessage: 'Zero bytes: every field holds its default, and proto3 does not send defaults.',
    stripLabel: 'Bytes by meaning',
    legendTag: 'tag (field number + wire type)',
    legendLength: 'length',
    legendValue: 'value',
    legendError: 'error',
    treeLabel: 'Field by field, down to the bits',
    jsonFromBytes: 'The bytes read back as JSON',
    noSchemaJson: 'Without a schema the bytes have no field names: pick a type to see them as JSON.',
    hexError: 'The hex cannot be read',
    decodeError: 'The bytes are not a valid message',
    jsonError: 'The JSON cannot be encoded',
    stale: 'The strip and tree still show the last value that encoded.',
  },
  ru: {
    cellLabel: (cellId: string) => `Верстак protobuf «${cellId}»`,
    messageType: 'Тип сообщения',
    teachingTypes: 'Учебные типы (все виды скаляров)',
    wirelabTypes: 'Сервисы Wirelab',
    otherTypes: 'Health, reflection, google.rpc, стандартные типы',
    noSchema: 'Без схемы: только по байтам',
    jsonLabel: 'Значение в JSON-представлении protobuf',
    jsonHint: 'Меняйте JSON — байты пересчитаются сами. Автодополнение (Ctrl+Space) знает поля типа.',
    hexLabel: 'То же значение в байтах (hex)',
    hexHint: 'Меняйте hex — разбор ниже обновится, а если байты читаются, то и JSON.',
    reset: 'Начать заново',
    binarySize: (bytes: number) => `двоичный вид: ${bytes} ${plural(bytes, 'байт', 'байта', 'байт')}`,
    jsonSize: (bytes: number) => `компактный JSON: ${bytes} ${plural(bytes, 'байт', 'байта', 'байт')}`,
    ratio: (percent: number) => `двоичный вид — ${percent}% от JSON`,
    emptyMessage: 'Ноль байт: все поля равны значениям по умолчанию, а их proto3 не передаёт.',
    stripLabel: 'Байты по смыслу',
    legendTag: 'тег (номер поля + тип кодирования)',
    legendLength: 'длина',
    legendValue: 'значение',
    legendError: 'ошибка',
    treeLabel: 'Поле за полем, вплоть до битов',
    jsonFromBytes: 'Байты, прочитанные обратно в JSON',
    noSchemaJson: 'Без схемы у байтов нет имён полей: выберите тип, чтобы увидеть их в JSON.',
    hexError: 'Не получается прочитать hex',
    decodeError: 'Эти байты — некорректное сообщение',
    jsonError: 'Этот JSON не кодируется',
    stale: 'Полоса и дерево пока показывают последнее значение, которое удалось закодировать.',
  },
};

function plural(count: number, one: string, few: string, many: string): string {
  const tens = count % 100;
  const units = count % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  if (units >= 2 && units <= 4) return few;
  return many;
}
