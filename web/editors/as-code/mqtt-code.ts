import type { Bilingual } from '../../../shared/bilingual.ts';
import type { AsCodeResult, GeneratedCode } from './generated.ts';
import { tokenComment } from './generated.ts';
import type { AsCodeLanguage } from './languages.ts';
import { hostPort, literal, shellQuote } from './quote.ts';
import type { AsCodeTarget, MqttSpec } from './spec.ts';

// One MQTT 3.1.1 client as the console sets it up: CONNECT (client id, clean session,
// keep-alive, will), SUBSCRIBE with the filter, PUBLISH the message, wait a moment for a message
// on the subscription, DISCONNECT. Over plain TCP to the page's own port: the listener recognises
// a connection that opens with CONNECT (server/protocols/mqtt/README.md). The token goes as the
// user name `sandbox:<token>`: the broker takes no password and no header over TCP.

/** How long a program waits for a message on its subscription after publishing, in seconds. */
export const MQTT_WAIT_SECONDS = 2;
/** mosquitto_sub's own wait for a message (-W), in seconds: it also waits for mosquitto_pub. */
const SUB_WAIT_SECONDS = 3;
/** mosquitto 2.0 refuses a shorter keep-alive ("must be between 5 and 65535"), 0 included. */
const MOSQUITTO_MIN_KEEP_ALIVE = 5;

const userName = (target: AsCodeTarget) => `sandbox:${target.token}`;

const TCP_NOTE: Bilingual = {
  en: 'Plain TCP to the page’s own port (the server recognises an MQTT CONNECT), while the console speaks MQTT inside a WebSocket at /mqtt: the packets in your inspector are the same, without WebSocket frames around them. The user name sandbox:<token> carries your session token (MQTT has no headers): your sandbox’s topics, your inspector.',
  ru: 'Обычный TCP на тот же порт, что у страницы (сервер узнаёт MQTT по пакету CONNECT), а консоль говорит на MQTT внутри WebSocket на /mqtt: пакеты в вашем инспекторе те же, только без кадров WebSocket вокруг. Токен сессии передаётся в имени пользователя sandbox:<токен> (заголовков в MQTT нет): темы вашей песочницы, байты — в вашем инспекторе.',
};

const octal = (hex: string) => (hex.match(/../g) ?? []).map((pair) => `\\${Number.parseInt(pair, 16).toString(8).padStart(3, '0')}`).join('');

export function mqttAsCode(spec: MqttSpec, language: AsCodeLanguage, target: AsCodeTarget): AsCodeResult {
  switch (language) {
    case 'terminal':
      if (spec.keepAlive < MOSQUITTO_MIN_KEEP_ALIVE) {
        return {
          language,
          unsupported: {
            en: `mosquitto_sub takes a keep-alive of ${MOSQUITTO_MIN_KEEP_ALIVE} to 65 535 s, and the console’s is ${spec.keepAlive}: set ${MOSQUITTO_MIN_KEEP_ALIVE} or more, or use Python, Go or JavaScript.`,
            ru: `mosquitto_sub принимает keep-alive от ${MOSQUITTO_MIN_KEEP_ALIVE} до 65 535 с, а в консоли — ${spec.keepAlive}: поставьте ${MOSQUITTO_MIN_KEEP_ALIVE} или больше либо возьмите Python, Go или JavaScript.`,
          },
        };
      }
      return mqttAsMosquitto(spec, target);
    case 'python':
      return mqttAsPython(spec, target);
    case 'go':
      return mqttAsGo(spec, target);
    case 'javascript':
      return mqttAsNode(spec, target);
  }
}

function mqttAsMosquitto(spec: MqttSpec, target: AsCodeTarget): GeneratedCode {
  const { host, port } = hostPort(target.origin);
  const common = `-h ${shellQuote(host)} -p ${port} -u ${shellQuote(userName(target))}`;
  const { will, subscribe, publish } = spec;
  const sub = [
    `mosquitto_sub ${common}`,
    ...(spec.clientId !== '' ? [`-i ${shellQuote(spec.clientId)}`] : []),
    ...(spec.clean ? [] : ['-c']),
    `-k ${spec.keepAlive}`,
    ...(will
      ? [`--will-topic ${shellQuote(will.topic)} --will-payload ${shellQuote(will.payload)} --will-qos ${will.qos}${will.retain ? ' --will-retain' : ''}`]
      : []),
    `-t ${shellQuote(subscribe.filter)} -q ${subscribe.qos} -v -C 1 -W ${SUB_WAIT_SECONDS} &`,
  ];
  const message = publish.hex ? '-s' : publish.payload === '' ? '-n' : `-m ${shellQuote(publish.payload)}`;
  const pub = `${publish.hex ? `printf '${octal(publish.payload)}' | ` : ''}mosquitto_pub ${common} -t ${shellQuote(publish.topic)} ${message} -q ${publish.qos}${publish.retain ? ' -r' : ''}`;
  const ru = target.lang === 'ru';
  const code = [
    ru
      ? `# подписчик: id клиента, чистая сессия, keep-alive и завещание — как в консоли; ждёт одно сообщение не дольше ${SUB_WAIT_SECONDS} с`
      : `# the subscriber: the console's client id, clean session, keep-alive and will; it waits at most ${SUB_WAIT_SECONDS} s for one message`,
    sub.join(' \\\n  '),
    ru ? '# секунда, чтобы он успел подписаться' : '# a second for it to subscribe',
    'sleep 1',
    ru
      ? '# публикация — другое подключение, у mosquitto_pub свой id клиента'
      : '# the publication: another connection, mosquitto_pub has a client id of its own',
    pub,
    'wait',
  ].join('\n');
  return {
    language: 'terminal',
    tool: 'mosquitto_sub + mosquitto_pub',
    code,
    fileName: null,
    install: 'sudo apt install mosquitto-clients',
    run: null,
    notes: [
      TCP_NOTE,
      {
        en: 'Two connections, where the console has one: mosquitto_sub subscribes (with the console’s client id and will), mosquitto_pub publishes under a client id of its own.',
        ru: 'Два подключения там, где у консоли одно: mosquitto_sub подписывается (с id клиента и завещанием из консоли), mosquitto_pub публикует под своим id клиента.',
      },
    ],
  };
}

function mqttAsPython(spec: MqttSpec, target: AsCodeTarget): GeneratedCode {
  const { host, port } = hostPort(target.origin);
  const { will, subscribe, publish } = spec;
  const payload = publish.hex ? `bytes.fromhex(${literal(publish.payload)})` : literal(publish.payload);
  const code = [
    'import threading',
    '',
    'import paho.mqtt.client as mqtt',
    '',
    `TOKEN = ${literal(target.token)}  # ${tokenComment(target.lang)}`,
    'connected, subscribed, received = threading.Event(), threading.Event(), threading.Event()',
    '',
    '',
    'def on_connect(client, userdata, flags, rc):',
    '    print("CONNACK", rc, mqtt.connack_string(rc))',
    '    connected.set()',
    '',
    '',
    'def on_subscribe(client, userdata, mid, granted_qos):',
    '    print("SUBACK, granted QoS", granted_qos)',
    '    subscribed.set()',
    '',
    '',
    'def on_message(client, userdata, message):',
    '    print("<-", message.topic, message.payload.decode("utf-8", "replace"), "(retained)" if message.retain else "")',
    '    received.set()',
    '',
    '',
    `client = mqtt.Client(client_id=${literal(spec.clientId)}, clean_session=${spec.clean ? 'True' : 'False'}, protocol=mqtt.MQTTv311)`,
    'client.username_pw_set("sandbox:" + TOKEN)',
    ...(will ? [`client.will_set(${literal(will.topic)}, ${literal(will.payload)}, qos=${will.qos}, retain=${will.retain ? 'True' : 'False'})`] : []),
    'client.on_connect, client.on_subscribe, client.on_message = on_connect, on_subscribe, on_message',
    `client.connect(${literal(host)}, ${port}, keepalive=${spec.keepAlive})`,
    'client.loop_start()',
    'if connected.wait(10) and client.is_connected():',
    `    client.subscribe(${literal(subscribe.filter)}, qos=${subscribe.qos})`,
    '    subscribed.wait(10)',
    `    client.publish(${literal(publish.topic)}, ${payload}, qos=${publish.qos}, retain=${publish.retain ? 'True' : 'False'}).wait_for_publish(10)`,
    `    received.wait(${MQTT_WAIT_SECONDS})  # a message on the subscription, if one comes`,
    'client.disconnect()',
    'client.loop_stop()',
    '',
  ].join('\n');
  return {
    language: 'python',
    tool: 'paho-mqtt 1.6',
    code,
    fileName: 'mqtt_client.py',
    install: 'sudo apt install python3-paho-mqtt   # 1.6; with paho-mqtt 2.x from pip: mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, client_id=…)',
    run: 'python3 mqtt_client.py',
    notes: [TCP_NOTE],
  };
}

function mqttAsGo(spec: MqttSpec, target: AsCodeTarget): GeneratedCode {
  const { host, port } = hostPort(target.origin);
  const { will, subscribe, publish } = spec;
  const code = [
    'package main',
    '',
    'import (',
    ...(publish.hex ? ['\t"encoding/hex"'] : []),
    '\t"fmt"',
    '\t"time"',
    '',
    '\tmqtt "github.com/eclipse/paho.mqtt.golang"',
    ')',
    '',
    'func main() {',
    `\ttoken := ${literal(target.token)} // ${tokenComment(target.lang)}`,
    '\toptions := mqtt.NewClientOptions().',
    `\t\tAddBroker(${literal(`tcp://${host}:${port}`)}).`,
    `\t\tSetClientID(${literal(spec.clientId)}).`,
    `\t\tSetCleanSession(${spec.clean}).`,
    `\t\tSetKeepAlive(${spec.keepAlive} * time.Second).`,
    '\t\tSetUsername("sandbox:" + token).',
    '\t\tSetProtocolVersion(4).',
    '\t\tSetAutoReconnect(false)',
    ...(will ? [`\toptions.SetWill(${literal(will.topic)}, ${literal(will.payload)}, ${will.qos}, ${will.retain})`] : []),
    '\tclient := mqtt.NewClient(options)',
    '\tif connecting := client.Connect(); connecting.Wait() && connecting.Error() != nil {',
    '\t\tpanic(connecting.Error())',
    '\t}',
    '\treceived := make(chan bool, 1)',
    `\tsubscribing := client.Subscribe(${literal(subscribe.filter)}, ${subscribe.qos}, func(_ mqtt.Client, message mqtt.Message) {`,
    '\t\tfmt.Printf("<- %s %q retained=%v\\n", message.Topic(), message.Payload(), message.Retained())',
    '\t\tselect {',
    '\t\tcase received <- true:',
    '\t\tdefault:',
    '\t\t}',
    '\t})',
    '\tif subscribing.Wait() && subscribing.Error() != nil {',
    '\t\tpanic(subscribing.Error())',
    '\t}',
    ...(publish.hex ? [`\tpayload, _ := hex.DecodeString(${literal(publish.payload)})`] : [`\tpayload := ${literal(publish.payload)}`]),
    `\tclient.Publish(${literal(publish.topic)}, ${publish.qos}, ${publish.retain}, payload).Wait()`,
    '\tselect { // a message on the subscription, if one comes',
    '\tcase <-received:',
    `\tcase <-time.After(${MQTT_WAIT_SECONDS} * time.Second):`,
    '\t}',
    '\tclient.Disconnect(250)',
    '}',
    '',
  ].join('\n');
  return {
    language: 'go',
    tool: 'paho.mqtt.golang',
    code,
    fileName: 'mqtt_client.go',
    install: 'sudo apt install golang golang-github-eclipse-paho.mqtt.golang-dev   # or: go get github.com/eclipse/paho.mqtt.golang',
    run: 'GO111MODULE=off GOPATH=/usr/share/gocode go run mqtt_client.go',
    notes: [TCP_NOTE],
  };
}

function mqttAsNode(spec: MqttSpec, target: AsCodeTarget): GeneratedCode {
  const { host, port } = hostPort(target.origin);
  const { will, subscribe, publish } = spec;
  const payload = publish.hex ? `Buffer.from(${literal(publish.payload)}, "hex")` : literal(publish.payload);
  const code = [
    'import mqtt from "mqtt";',
    'import { setTimeout as sleep } from "node:timers/promises";',
    '',
    `const TOKEN = ${literal(target.token)}; // ${tokenComment(target.lang)}`,
    '',
    `const client = await mqtt.connectAsync(${literal(`mqtt://${host}:${port}`)}, {`,
    '  protocolVersion: 4,',
    '  username: `sandbox:${TOKEN}`,',
    ...(spec.clientId !== '' ? [`  clientId: ${literal(spec.clientId)},`] : []),
    `  clean: ${spec.clean},`,
    `  keepalive: ${spec.keepAlive},`,
    ...(will ? [`  will: { topic: ${literal(will.topic)}, payload: ${literal(will.payload)}, qos: ${will.qos}, retain: ${will.retain} },`] : []),
    '  reconnectPeriod: 0,',
    '});',
    'let received = () => {};',
    'const firstMessage = new Promise((resolve) => (received = resolve));',
    'client.on("message", (topic, payload, packet) => {',
    '  console.log("<-", topic, payload.toString(), packet.retain ? "(retained)" : "");',
    '  received();',
    '});',
    `console.log("SUBACK", await client.subscribeAsync(${literal(subscribe.filter)}, { qos: ${subscribe.qos} }));`,
    `await client.publishAsync(${literal(publish.topic)}, ${payload}, { qos: ${publish.qos}, retain: ${publish.retain} });`,
    `await Promise.race([firstMessage, sleep(${MQTT_WAIT_SECONDS * 1000})]); // a message on the subscription, if one comes`,
    'await client.endAsync();',
    '',
  ].join('\n');
  return {
    language: 'javascript',
    tool: 'mqtt.js',
    code,
    fileName: 'mqtt-client.mjs',
    install: 'npm install mqtt',
    run: 'node mqtt-client.mjs',
    notes: [TCP_NOTE],
  };
}
