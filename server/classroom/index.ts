// The classroom's public face: what the app and `npm start` need of it. Everything else in
// server/classroom/ is the plugin's own (README.md, "Folders").
export { default, CLASS_CHANNEL_PATH, type ClassroomOptions } from './classroom-plugin.ts';
export { parsePublicUrl, startupUrls } from './startup-urls.ts';
export { parseTeacherKey } from './names/teacher-key.ts';
