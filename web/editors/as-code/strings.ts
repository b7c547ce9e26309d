export const asCodeStrings = {
  en: {
    asCode: 'As code',
    asCodeHint: 'This cell as a program: the terminal, Python, Go or JavaScript. It carries your session token, so its bytes appear in your inspector.',
    title: 'This cell as code',
    terminal: 'Terminal',
    language: 'Language',
    tool: 'Client',
    install: 'Install',
    run: 'Run it',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Could not copy: select the text and copy it by hand.',
    close: 'Close',
    tokenNote:
      'The x-wirelab-sandbox header carries a token of your session (valid 8 hours): the program works on the same data as this page and its bytes appear in your inspector, but the token cannot open your inspector.',
    tokenNoteMqtt:
      'The user name sandbox:<token> carries a token of your session (valid 8 hours): the program works in the same sandbox as this page and its bytes appear in your inspector, but the token cannot open your inspector.',
    unavailable: 'Nothing to write yet: the cell has a mistake.',
    waiting: 'Connecting to the server…',
    protosTitle: 'Get the protos',
    protosText:
      'The .proto files are the proto/ folder of this project (proto/vendor holds the Google files they import). Run the stub commands in the folder that holds proto/.',
    protosPython: 'Python stubs (Debian: protobuf-compiler-grpc, libprotobuf-dev):',
    protosGo:
      'Go stubs (Debian: protoc-gen-go, protoc-gen-go-grpc, libprotobuf-dev), every service at once into ./gopath/src/wirelabpb: the .proto files have no go_package, so the M options give each file its Go package. The program is built offline against Debian\'s grpc-go and protobuf-go (GO111MODULE=off, GOPATH="$PWD/gopath:/usr/share/gocode"):',
    protosJavaScript: 'JavaScript stubs (npm: @bufbuild/buf, @bufbuild/protoc-gen-es):',
  },
  ru: {
    asCode: 'Как код',
    asCodeHint: 'Эта ячейка в виде программы: терминал, Python, Go или JavaScript. В ней токен вашей сессии, поэтому её байты появятся в вашем инспекторе.',
    title: 'Ячейка в виде кода',
    terminal: 'Терминал',
    language: 'Язык',
    tool: 'Клиент',
    install: 'Установить',
    run: 'Запустить',
    copy: 'Копировать',
    copied: 'Скопировано',
    copyFailed: 'Скопировать не удалось: выделите текст и скопируйте его вручную.',
    close: 'Закрыть',
    tokenNote:
      'В заголовке x-wirelab-sandbox — токен вашей сессии (действует 8 часов): программа работает с теми же данными, что и эта страница, а её байты появляются в вашем инспекторе, но открыть ваш инспектор этим токеном нельзя.',
    tokenNoteMqtt:
      'В имени пользователя sandbox:<токен> — токен вашей сессии (действует 8 часов): программа работает в той же песочнице, что и эта страница, а её байты появляются в вашем инспекторе, но открыть ваш инспектор этим токеном нельзя.',
    unavailable: 'Писать пока нечего: в ячейке ошибка.',
    waiting: 'Подключаемся к серверу…',
    protosTitle: 'Где взять .proto',
    protosText:
      'Файлы .proto лежат в папке proto/ этого проекта (в proto/vendor — файлы Google, которые они импортируют). Команды для заглушек запускайте в папке, где лежит proto/.',
    protosPython: 'Заглушки для Python (Debian: protobuf-compiler-grpc, libprotobuf-dev):',
    protosGo:
      'Заглушки для Go (Debian: protoc-gen-go, protoc-gen-go-grpc, libprotobuf-dev) — сразу для всех сервисов, в ./gopath/src/wirelabpb. В файлах .proto нет go_package, поэтому Go-пакет каждого файла задают опции M. Программа собирается без сети, с grpc-go и protobuf-go из пакетов Debian (GO111MODULE=off, GOPATH="$PWD/gopath:/usr/share/gocode"):',
    protosJavaScript: 'Заглушки для JavaScript (npm: @bufbuild/buf, @bufbuild/protoc-gen-es):',
  },
};
