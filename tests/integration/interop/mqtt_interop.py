"""Debian's python3-paho-mqtt (1.6) against the embedded broker: a client nobody here wrote.

Usage: mqtt_interop.py tcp|websockets HOST PORT SANDBOX — prints one JSON object of what it observed.
Over WebSocket it connects to the path /mqtt (subprotocol mqtt), as a browser library would.
"""
import json
import sys
import threading

import paho.mqtt.client as mqtt

WAIT_S = 10


class Collector:
    """A connected paho client that keeps what it receives and lets the script wait for it."""

    def __init__(self, transport, host, port, sandbox, client_id="", clean_session=True, will=None):
        self.messages = []
        self.connack = None
        self.changed = threading.Condition()
        self.client = mqtt.Client(client_id=client_id, clean_session=clean_session, transport=transport)
        if transport == "websockets":
            self.client.ws_set_options(path="/mqtt")
        self.client.username_pw_set(f"sandbox:{sandbox}")
        if will:
            self.client.will_set(will[0], will[1], qos=1)
        self.client.on_connect = self.on_connect
        self.client.on_message = self.on_message
        self.client.connect(host, port, keepalive=30)
        self.client.loop_start()
        self.wait(lambda: self.connack is not None, "CONNACK")

    def on_connect(self, _client, _userdata, flags, rc):
        with self.changed:
            self.connack = {"rc": rc, "session_present": bool(flags.get("session present"))}
            self.changed.notify_all()

    def on_message(self, _client, _userdata, message):
        with self.changed:
            self.messages.append(
                {"topic": message.topic, "payload": message.payload.decode(), "qos": message.qos, "retain": bool(message.retain)}
            )
            self.changed.notify_all()

    def wait(self, condition, what):
        with self.changed:
            if not self.changed.wait_for(condition, timeout=WAIT_S):
                raise SystemExit(f"timed out waiting for {what}; got {self.messages}")

    def subscribe(self, topic, qos):
        granted = []
        done = threading.Event()

        def on_subscribe(_client, _userdata, _mid, qos_list):
            granted.extend(qos_list)
            done.set()

        self.client.on_subscribe = on_subscribe
        self.client.subscribe(topic, qos)
        if not done.wait(WAIT_S):
            raise SystemExit(f"no SUBACK for {topic}")
        return granted

    def publish(self, topic, payload, qos, retain=False):
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        # QoS 1: returns at PUBACK; QoS 2: at PUBCOMP (after PUBREC and PUBREL).
        info.wait_for_publish(WAIT_S)
        return info.is_published()

    def stop(self):
        self.client.disconnect()
        self.client.loop_stop()


def main(transport, host, port, sandbox):
    seen = {"transport": transport}
    sub = Collector(transport, host, port, sandbox)
    seen["granted"] = sub.subscribe("paho/#", 2)
    pub = Collector(transport, host, port, sandbox)
    seen["published"] = [pub.publish(f"paho/q{qos}", f"qos {qos}", qos) for qos in (0, 1, 2)]
    sub.wait(lambda: len(sub.messages) >= 3, "three messages")
    seen["qos_messages"] = sub.messages[:3]

    pub.publish("retained/config", "kept", 1, retain=True)
    late = Collector(transport, host, port, sandbox)
    late.subscribe("retained/#", 1)
    late.wait(lambda: late.messages, "the retained message")
    seen["retained"] = late.messages[0]
    late.stop()

    doomed = Collector(transport, host, port, sandbox, will=("paho/will", "gone"))
    # Cut the connection without DISCONNECT: the broker must publish the will.
    doomed.client.socket().close()
    sub.wait(lambda: any(m["topic"] == "paho/will" for m in sub.messages), "the will")
    seen["will"] = next(m for m in sub.messages if m["topic"] == "paho/will")
    doomed.client.loop_stop()

    worker = Collector(transport, host, port, sandbox, client_id="paho-worker", clean_session=False)
    worker.subscribe("jobs/#", 1)
    worker.stop()
    pub.publish("jobs/1", "while you were away", 1)
    pub.publish("jobs/2", "and this one", 2)
    back = Collector(transport, host, port, sandbox, client_id="paho-worker", clean_session=False)
    back.wait(lambda: len(back.messages) >= 2, "the queued messages")
    seen["session_present"] = back.connack["session_present"]
    seen["queued"] = back.messages
    back.stop()
    pub.stop()
    sub.stop()
    print(json.dumps(seen))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
