// What the teacher is told at start-up about whom Wirelab believes: with HOST=0.0.0.0 and no
// TRUST_PROXY, a client that connects from loopback is taken for this machine's own user, and
// "check my server" may aim at any of this machine's loopback ports (README, "Security settings").

export interface ReachSettings {
  host: string;
  trustProxy: boolean;
  ownServers: boolean;
  deniedPorts: readonly number[];
  /** The port of REDIS_URL's Redis, which "check my server" never reaches (always denied). */
  redisPort?: number;
}

/** The warning, in both languages, or null when there is nothing to say (loopback only, a proxy trusted, the feature off). */
export function loopbackReachWarning(settings: ReachSettings): string | null {
  const everyAddress = settings.host === '0.0.0.0' || settings.host === '::' || settings.host === '';
  if (!everyAddress || settings.trustProxy || !settings.ownServers) return null;
  const denied = [...new Set([...settings.deniedPorts, ...(settings.redisPort === undefined ? [] : [settings.redisPort])])].sort((a, b) => a - b);
  const except = denied.length > 0 ? ` except ${denied.join(', ')}` : '';
  const exceptRu = denied.length > 0 ? `, кроме ${denied.join(', ')}` : '';
  return (
    `A client connecting from loopback (this machine, or a reverse proxy, ssh -L tunnel or socat on it) may aim "check my server" ` +
    `and its relays at every loopback port of this machine${except}, speaking HTTP, WebSocket, SSE, gRPC or MQTT. ` +
    'Behind a proxy on this machine set TRUST_PROXY; close ports with OWN_SERVERS_DENY_PORTS, or turn the feature off with OWN_SERVERS=off. / ' +
    `Клиент, подключённый с loopback (с этой машины или через обратный прокси, туннель ssh -L или socat на ней), может направить «мой сервер» ` +
    `и его ретрансляторы на любой loopback-порт этой машины${exceptRu} по HTTP, WebSocket, SSE, gRPC или MQTT. ` +
    'За прокси на этой машине задайте TRUST_PROXY; закрыть порты — OWN_SERVERS_DENY_PORTS, выключить — OWN_SERVERS=off.'
  );
}

/**
 * A data folder that was there before this start and that other users of the machine may open
 * (`mode`: its permission bits): the database in it holds the teacher key in plain text, and the
 * session secret signs every student's session.
 */
export function dataFolderReadableWarning(dir: string, mode: number): string {
  const octal = mode.toString(8).padStart(3, '0');
  return (
    `The data folder ${dir} (mode ${octal}) may be read by other users of this machine: it holds the teacher key and the secret that signs sessions. ` +
    `Make it private: chmod 700 ${dir} / ` +
    `Папку данных ${dir} (права ${octal}) могут читать другие пользователи этой машины: в ней ключ преподавателя и секрет, которым подписываются сессии. ` +
    `Закройте её: chmod 700 ${dir}`
  );
}
