// Every string the widget shows, in English, Spanish and Brazilian
// Portuguese. English is the reference: the other tables are typed against
// it, so a missing key fails the build. {name}-style placeholders are
// filled by t().

const en = {
  chat: 'Chat',
  close: 'Close chat',
  online: 'We usually reply in a few minutes',
  waiting: 'Waiting for an agent…',
  human: 'You are chatting with {agent}',
  closed: 'Conversation resolved',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  prechatIntro: 'Before we start, please tell us a little about you.',
  name: 'Your name',
  email: 'Your email',
  optional: 'optional',
  start: 'Start chatting',
  required: 'Please fill this in.',
  invalidEmail: 'Please enter a valid email address.',
  messages: 'Messages',
  message: 'Message',
  placeholder: 'Write a message…',
  placeholderNew: 'Write to start a new conversation…',
  send: 'Send',
  attach: 'Attach a file',
  emoji: 'Insert an emoji',
  typing: '{name} is typing…',
  sending: 'Sending…',
  failed: 'Not sent.',
  retry: 'Retry',
  uploading: 'Uploading…',
  tooBig: 'Files can be at most {size}.',
  tooMany: 'You are writing very fast; please wait a moment.',
  error: 'Something went wrong. Please try again.',
  download: 'Download {name}',
  quickReplies: 'Suggested replies',
  you: 'You',
  empty: 'Ask us anything: we are here to help.',
  csat1: 'Very bad',
  csat2: 'Bad',
  csat3: 'Okay',
  csat4: 'Good',
  csat5: 'Very good',
  csatComment: 'Anything to add?',
  csatSend: 'Send rating',
  csatPick: 'Please choose a rating.',
  csatThanks: 'Thank you for your rating!',
  callAudio: 'Audio call',
  callVideo: 'Video call',
  callIncoming: 'Incoming call',
  callIncomingAudio: '{agent} is calling you (audio).',
  callIncomingVideo: '{agent} is calling you (video).',
  callAccept: 'Accept',
  callDecline: 'Decline',
  callCalling: 'Calling…',
  callConnecting: 'Connecting…',
  callConnected: 'Connected',
  callTrouble: 'Connection trouble: trying again…',
  callRegion: 'Call',
  callControls: 'Call controls',
  callMute: 'Mute',
  callUnmute: 'Unmute',
  callCameraOn: 'Camera on',
  callCameraOff: 'Camera off',
  callSwitchVideo: 'Switch to video',
  callHangUp: 'Hang up',
  callCancel: 'Cancel',
  callRemoteVideo: '{agent}\'s video',
  callLocalVideo: 'Your camera',
  callTime: 'Call time',
  callEnded: 'Call ended · {duration}',
  callDeclined: 'Call declined',
  callMissed: 'Missed call',
  callCancelled: 'Call cancelled',
  callFailed: 'The call could not be made.',
}

export type Messages = typeof en
export type Key = keyof Messages

const es: Messages = {
  chat: 'Chat',
  close: 'Cerrar el chat',
  online: 'Solemos responder en pocos minutos',
  waiting: 'Esperando a un agente…',
  human: 'Estás hablando con {agent}',
  closed: 'Conversación resuelta',
  connecting: 'Conectando…',
  reconnecting: 'Reconectando…',
  prechatIntro: 'Antes de empezar, cuéntanos un poco sobre ti.',
  name: 'Tu nombre',
  email: 'Tu correo electrónico',
  optional: 'opcional',
  start: 'Empezar a chatear',
  required: 'Completa este campo.',
  invalidEmail: 'Escribe un correo electrónico válido.',
  messages: 'Mensajes',
  message: 'Mensaje',
  placeholder: 'Escribe un mensaje…',
  placeholderNew: 'Escribe para iniciar otra conversación…',
  send: 'Enviar',
  attach: 'Adjuntar un archivo',
  emoji: 'Insertar un emoji',
  typing: '{name} está escribiendo…',
  sending: 'Enviando…',
  failed: 'No enviado.',
  retry: 'Reintentar',
  uploading: 'Subiendo…',
  tooBig: 'Los archivos pueden tener como máximo {size}.',
  tooMany: 'Estás escribiendo muy rápido; espera un momento.',
  error: 'Algo salió mal. Inténtalo de nuevo.',
  download: 'Descargar {name}',
  quickReplies: 'Respuestas sugeridas',
  you: 'Tú',
  empty: 'Pregúntanos lo que quieras: estamos para ayudarte.',
  csat1: 'Muy mala',
  csat2: 'Mala',
  csat3: 'Regular',
  csat4: 'Buena',
  csat5: 'Muy buena',
  csatComment: '¿Algo que añadir?',
  csatSend: 'Enviar calificación',
  csatPick: 'Elige una calificación.',
  csatThanks: '¡Gracias por tu calificación!',
  callAudio: 'Llamada de voz',
  callVideo: 'Videollamada',
  callIncoming: 'Llamada entrante',
  callIncomingAudio: '{agent} te está llamando (voz).',
  callIncomingVideo: '{agent} te está llamando (video).',
  callAccept: 'Aceptar',
  callDecline: 'Rechazar',
  callCalling: 'Llamando…',
  callConnecting: 'Conectando…',
  callConnected: 'Conectado',
  callTrouble: 'Problemas de conexión: reintentando…',
  callRegion: 'Llamada',
  callControls: 'Controles de la llamada',
  callMute: 'Silenciar',
  callUnmute: 'Activar micrófono',
  callCameraOn: 'Encender cámara',
  callCameraOff: 'Apagar cámara',
  callSwitchVideo: 'Pasar a video',
  callHangUp: 'Colgar',
  callCancel: 'Cancelar',
  callRemoteVideo: 'Video de {agent}',
  callLocalVideo: 'Tu cámara',
  callTime: 'Duración de la llamada',
  callEnded: 'Llamada finalizada · {duration}',
  callDeclined: 'Llamada rechazada',
  callMissed: 'Llamada perdida',
  callCancelled: 'Llamada cancelada',
  callFailed: 'No se pudo hacer la llamada.',
}

const ptBR: Messages = {
  chat: 'Chat',
  close: 'Fechar o chat',
  online: 'Costumamos responder em poucos minutos',
  waiting: 'Aguardando um atendente…',
  human: 'Você está conversando com {agent}',
  closed: 'Conversa resolvida',
  connecting: 'Conectando…',
  reconnecting: 'Reconectando…',
  prechatIntro: 'Antes de começar, conte um pouco sobre você.',
  name: 'Seu nome',
  email: 'Seu e-mail',
  optional: 'opcional',
  start: 'Começar a conversa',
  required: 'Preencha este campo.',
  invalidEmail: 'Digite um e-mail válido.',
  messages: 'Mensagens',
  message: 'Mensagem',
  placeholder: 'Escreva uma mensagem…',
  placeholderNew: 'Escreva para iniciar outra conversa…',
  send: 'Enviar',
  attach: 'Anexar um arquivo',
  emoji: 'Inserir um emoji',
  typing: '{name} está digitando…',
  sending: 'Enviando…',
  failed: 'Não enviada.',
  retry: 'Tentar de novo',
  uploading: 'Enviando arquivo…',
  tooBig: 'Os arquivos podem ter no máximo {size}.',
  tooMany: 'Você está escrevendo muito rápido; aguarde um momento.',
  error: 'Algo deu errado. Tente novamente.',
  download: 'Baixar {name}',
  quickReplies: 'Respostas sugeridas',
  you: 'Você',
  empty: 'Pergunte o que quiser: estamos aqui para ajudar.',
  csat1: 'Muito ruim',
  csat2: 'Ruim',
  csat3: 'Regular',
  csat4: 'Bom',
  csat5: 'Muito bom',
  csatComment: 'Algo a acrescentar?',
  csatSend: 'Enviar avaliação',
  csatPick: 'Escolha uma avaliação.',
  csatThanks: 'Obrigado pela sua avaliação!',
  callAudio: 'Chamada de voz',
  callVideo: 'Chamada de vídeo',
  callIncoming: 'Chamada recebida',
  callIncomingAudio: '{agent} está ligando para você (voz).',
  callIncomingVideo: '{agent} está ligando para você (vídeo).',
  callAccept: 'Atender',
  callDecline: 'Recusar',
  callCalling: 'Ligando…',
  callConnecting: 'Conectando…',
  callConnected: 'Conectado',
  callTrouble: 'Problemas de conexão: tentando de novo…',
  callRegion: 'Chamada',
  callControls: 'Controles da chamada',
  callMute: 'Silenciar',
  callUnmute: 'Ativar microfone',
  callCameraOn: 'Ligar câmera',
  callCameraOff: 'Desligar câmera',
  callSwitchVideo: 'Mudar para vídeo',
  callHangUp: 'Desligar',
  callCancel: 'Cancelar',
  callRemoteVideo: 'Vídeo de {agent}',
  callLocalVideo: 'Sua câmera',
  callTime: 'Duração da chamada',
  callEnded: 'Chamada encerrada · {duration}',
  callDeclined: 'Chamada recusada',
  callMissed: 'Chamada perdida',
  callCancelled: 'Chamada cancelada',
  callFailed: 'Não foi possível fazer a chamada.',
}

export const tables: Record<Lang, Messages> = { en, es, 'pt-BR': ptBR }

export type Lang = 'en' | 'es' | 'pt-BR'

let current: Messages = en
let currentLang: Lang = 'en'

/**
 * pickLang chooses the visitor's language: the first of its browser's
 * languages the channel offers (es-MX → es, pt-PT → pt-BR), else the
 * channel's first.
 */
export function pickLang(offered: readonly string[], preferred: readonly string[]): Lang {
  const ok = offered.filter((l): l is Lang => l in tables)
  for (const p of preferred) {
    const base = p.toLowerCase().split('-')[0]
    const hit = ok.find((l) => l.toLowerCase() === p.toLowerCase()) ?? ok.find((l) => l.toLowerCase().split('-')[0] === base)
    if (hit) return hit
  }
  return ok[0] ?? 'en'
}

export function setLang(l: Lang): void {
  current = tables[l]
  currentLang = l
  document.documentElement.lang = l
}

export function lang(): Lang {
  return currentLang
}

/** t translates key, filling {placeholders} from vars. */
export function t(key: Key, vars: Record<string, string> = {}): string {
  return current[key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '')
}
