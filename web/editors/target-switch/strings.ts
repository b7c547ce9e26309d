/** The target switch's words (target-switch.tsx). */
export const targetSwitchStrings = {
  en: {
    legendSend: 'Send to',
    legendConnect: 'Connect to',
    wirelab: 'Wirelab’s server',
    mine: 'My server',
    address: 'host:port of your own server (on your computer)',
    wirelabOnly: (what: string) => `You chose “my server”, but ${what} always talks to Wirelab’s server.`,
  },
  ru: {
    legendSend: 'Куда отправить',
    legendConnect: 'Куда подключаться',
    wirelab: 'Сервер Wirelab',
    mine: 'Мой сервер',
    address: 'host:port вашего собственного сервера (на вашем компьютере)',
    wirelabOnly: (what: string) => `Выбран «мой сервер», но ${what} всегда работает с сервером Wirelab.`,
  },
};
