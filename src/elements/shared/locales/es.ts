import type { KnownErrorCode, Messages } from './en.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, (count: number) => string>> & { other: (count: number) => string };
const rules = new Intl.PluralRules('es');
const plural = (count: number, forms: Forms) => (forms[rules.select(count)] ?? forms.other)(count).replace(/(\d) /g, '$1\u00a0');
/** "1 segundo", "2 segundos": the common shape of a count and its noun. */
const counted = (one: string, other: string): Forms => ({ one: (n) => `${n} ${one}`, other: (n) => `${n} ${other}` });

const errors = {
  bad_json: 'Algo salió mal al enviar tu respuesta. Inténtalo de nuevo.',
  invalid_body: 'No pudimos leer tu respuesta. Revísala e inténtalo de nuevo.',
  csrf_rejected: 'No se pudo verificar esta página. Vuelve a cargarla e inténtalo de nuevo.',
  origin_rejected: 'Esta página no puede verificarte. Vuelve a cargarla e inténtalo de nuevo.',
  not_found: 'No pudimos contactar con el servicio de verificación. Inténtalo más tarde.',
  method_not_allowed: 'No pudimos contactar con el servicio de verificación. Inténtalo más tarde.',
  action_mismatch: 'Este paso ha cambiado. Vuelve a cargar la página para continuar.',
  session_finished: 'Esta verificación ya ha terminado.',
  payload_too_large: 'Tu respuesta es demasiado larga. Revísala e inténtalo de nuevo.',
  unsupported_media_type: 'Algo salió mal al enviar tu respuesta. Inténtalo de nuevo.',
  session_unknown: 'No encontramos tu verificación. Vuelve a empezar.',
  wrong_code: 'Ese código no es correcto.',
  code_expired: 'Ese código ha caducado. Solicita un código nuevo.',
  session_missing: 'No encontramos tu sesión de verificación. Vuelve a empezar.',
  session_invalid: 'Tu sesión de verificación no es válida. Vuelve a empezar.',
  session_expired: 'Tu sesión de verificación ha caducado. Vuelve a empezar.',
  too_many_attempts: 'Demasiados códigos incorrectos.',
  resend_too_soon: 'Espera un momento antes de solicitar otro código.',
  resend_limit_reached: 'No puedes solicitar más códigos.',
  send_limited: 'Se han enviado demasiados mensajes a estos datos de contacto. Inténtalo de nuevo más tarde.',
  send_limited_network: 'Se han iniciado demasiadas verificaciones desde esta red. Inténtalo de nuevo más tarde.',
  internal_error: 'Algo salió mal por nuestra parte. Inténtalo de nuevo.',
  body_consumed: 'Algo salió mal por nuestra parte. Inténtalo de nuevo.',
  upstream_auth_failed: 'El servicio de verificación no está disponible ahora. Inténtalo más tarde.',
  upstream_error: 'El servicio de verificación tuvo un problema. Inténtalo de nuevo.',
  upstream_invalid_response: 'El servicio de verificación tuvo un problema. Inténtalo de nuevo.',
  upstream_unavailable: 'El servicio de verificación está ocupado. Inténtalo de nuevo en un momento.',
  store_unavailable: 'El servicio de verificación está ocupado. Inténtalo de nuevo en un momento.',
  upstream_timeout: 'El servicio de verificación tardó demasiado en responder. Inténtalo de nuevo.',
  network_error: 'No podemos conectar con el servicio de verificación. Inténtalo de nuevo en un momento.',
  offline: 'No tienes conexión. Comprueba tu conexión a internet e inténtalo de nuevo.',
  timeout: 'Esto está tardando demasiado. Comprueba tu conexión e inténtalo de nuevo.',
  invalid_response: 'Recibimos una respuesta inesperada. Inténtalo de nuevo.',
  aborted: 'Se canceló la solicitud.',
  wrong_answers: 'Algunas de tus respuestas no son correctas.',
  quiz_expired: 'Se acabó el tiempo para estas preguntas.',
  retry_not_allowed: 'No puedes volver a intentar este paso.',
  channel_unavailable: 'No podemos enviarlo por esa vía. Elige otra.',
} satisfies Record<KnownErrorCode, string>;

function duration(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  if (total < 60) return plural(total, counted('segundo', 'segundos'));
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  const minutesText = plural(minutes, counted('minuto', 'minutos'));
  return rest === 0 ? minutesText : `${minutesText} y ${plural(rest, counted('segundo', 'segundos'))}`;
}

export const es: Messages = {
  flowLoading: 'Cargando tu verificación…',
  flowStartAgain: 'Empezar de nuevo',
  flowStep: (index, total) => `Paso ${index} de ${total}`,
  flowDecisionTitle: {
    ALLOW: 'Verificación completada',
    BLOCK: 'No pudimos verificarte',
    REVIEW: 'Gracias, lo estamos revisando',
  },
  flowDecisionBody: {
    ALLOW: 'Gracias por confirmar que eres tú. Puedes continuar.',
    BLOCK: 'No pudimos confirmar tu identidad, así que esta vez no podemos continuar.',
    REVIEW: 'Necesitamos un poco más de tiempo para revisar tus datos. Te contactaremos.',
  },
  flowUnsupported: (name) => `Este paso de verificación (${name}) no está disponible aquí. Contacta con soporte.`,
  flowUnavailable: 'No pudimos completar esta comprobación aquí. Inténtalo de nuevo en unos minutos.',
  retry: 'Intentar de nuevo',

  errorMessage: (code) =>
    Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'Algo salió mal. Inténtalo de nuevo.',

  duration,

  otpLabel: 'Código de verificación',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Enviamos un código de ${codeLength} dígitos por correo electrónico a ${destination}.`
      : `Enviamos un código de ${codeLength} dígitos a ${destination}.`,
  otpHint: (codeLength) => `Introduce el código de ${codeLength} dígitos.`,
  otpVerify: 'Verificar',
  otpVerifying: 'Verificando…',
  attemptsLeft: (count) => plural(count, { one: (n) => `Queda ${n} intento.`, other: (n) => `Quedan ${n} intentos.` }),
  otpExpiresIn: (seconds) => `El código caduca en ${duration(seconds)}.`,
  otpResend: 'Enviar un código nuevo',
  otpResendIn: (seconds) => `Podrás solicitar un código nuevo en ${duration(seconds)}.`,
  resendsLeft: (count) => plural(count, { one: (n) => `Queda ${n} código nuevo.`, other: (n) => `Quedan ${n} códigos nuevos.` }),
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Enviamos un código nuevo de ${codeLength} dígitos por correo electrónico a ${destination}.`
      : `Enviamos un código nuevo de ${codeLength} dígitos a ${destination}.`,
  otpOnlyNewest: 'Solo funciona el código más reciente.',
  otpResendSending: 'Enviando un código nuevo…',
  otpNoResendsLeft: 'No puedes solicitar más códigos. Usa el último código que te enviamos.',
  otpLockedWait: (seconds) => `Podrás intentarlo de nuevo en ${duration(seconds)}.`,
  otpUnlocked: 'Ya puedes volver a introducir un código.',
  otpOneMoreLocks: 'Un código incorrecto más y tendrás que volver a esperar.',
  otpResendReady: 'Ya puedes solicitar un código nuevo.',
  otpValueMissing: (codeLength) => `Introduce el código de ${codeLength} dígitos.`,
  otpTooShort: (codeLength) => `Introduce los ${codeLength} dígitos.`,
  otpPatternMismatch: 'Usa solo números.',
  // <kba-quiz>
  kbaQuestionOf: (index, total) => `Pregunta ${index} de ${total}`,
  kbaChooseAllThatApply: 'Elige todas las que correspondan.',
  kbaBack: 'Atrás',
  kbaNext: 'Siguiente',
  kbaReviewAnswers: 'Revisar respuestas',
  kbaReviewTitle: 'Revisa tus respuestas',
  kbaReviewHint: 'Puedes cambiar cualquier respuesta antes de enviarlas.',
  kbaChange: 'Cambiar',
  kbaNotAnswered: 'Sin responder',
  kbaSubmit: 'Enviar respuestas',
  kbaSubmitting: 'Enviando…',
  kbaChooseOne: 'Elige una respuesta para continuar.',
  kbaChooseAtLeastOne: 'Elige al menos una respuesta para continuar.',
  kbaTimeLeft: (seconds) => `Tiempo restante: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  // "Queda 1 minuto", "Quedan 2 minutos": the verb agrees with the first count said.
  kbaTimeLeftAnnouncement: (seconds) =>
    rules.select(seconds < 60 ? seconds : Math.floor(seconds / 60)) === 'one'
      ? `Queda ${duration(seconds)} para responder.`
      : `Quedan ${duration(seconds)} para responder.`,
  kbaTimeUp: 'Se acabó el tiempo para estas preguntas.',
  kbaNewQuestions: 'Aquí tienes preguntas nuevas.',
  kbaTooManyAttempts: 'Demasiados intentos.',
  kbaLockedWait: (seconds) => `Demasiados intentos. Podrás intentarlo de nuevo en ${duration(seconds)}.`,
  kbaUnlocked: 'Ya puedes volver a enviar tus respuestas.',
  kbaAnswersKept: 'Tus respuestas se han conservado.',
  // </kba-quiz>
  // <oth-waiting>
  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `Enviamos un enlace por correo electrónico a ${destination}.` : `Enviamos un enlace por SMS a ${destination}.`,
  othInstructions: 'Abre el enlace en cualquier dispositivo para continuar.',
  othStatus: {
    MESSAGE_SENT: 'Esperando a que abras el enlace…',
    VERIFIED: 'Enlace confirmado. Terminando…',
    TERMINATED: 'Este enlace se canceló.',
    FAILED_AUTHORIZATION: 'No pudimos confirmar que eras tú con este enlace.',
    VERIFICATION_ATTEMPT_FAILED: 'Ese enlace no funcionó.',
    INVALID: 'Este enlace ya no es válido.',
    UNKNOWN: 'Comprobando el enlace…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'Envía un enlace nuevo para intentarlo de nuevo.' : 'No podemos enviar más enlaces. Vuelve a empezar.',
  othResend: 'Enviar un enlace nuevo',
  othResendSending: 'Enviando un enlace nuevo…',
  othResendIn: (seconds) => `Podrás solicitar un enlace nuevo en ${duration(seconds)}.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `Te enviamos un enlace nuevo por correo electrónico a ${destination}. Solo funciona el enlace más reciente.`
      : `Te enviamos un enlace nuevo por SMS a ${destination}. Solo funciona el enlace más reciente.`,
  othResendReady: 'Ya puedes solicitar un enlace nuevo.',
  othNoResendsLeft: 'No puedes solicitar más enlaces.',
  othLinksLeft: (count) => plural(count, { one: (n) => `Queda ${n} enlace nuevo.`, other: (n) => `Quedan ${n} enlaces nuevos.` }),
  othSendBy: (channel) =>
    channel === 'EMAIL' ? 'Enviarlo por correo electrónico en su lugar' : 'Enviarlo por SMS en su lugar',
  othExpiresIn: (seconds) => `El enlace caduca en ${duration(seconds)}.`,
  othExpired: 'Este enlace ha caducado.',
  othOffline: 'No tienes conexión. Lo comprobaremos de nuevo cuando vuelvas a estar en línea.',
  othBackOnline: 'Vuelves a tener conexión.',
  // </oth-waiting>
  // <docv-status>
  docvSmsSent: (destination) =>
    destination
      ? `Te enviamos un enlace por SMS al ${destination}. Ábrelo en tu teléfono para fotografiar tu documento de identidad.`
      : 'Te enviamos un enlace por SMS. Ábrelo en tu teléfono para fotografiar tu documento de identidad.',
  docvScanQr: 'Escanea este código con la cámara de tu teléfono y sigue los pasos para fotografiar tu documento de identidad.',
  docvQrLabel: 'Código QR que abre la verificación del documento en tu teléfono',
  docvContinueHere: 'Continuar en este dispositivo',
  docvOpensInNewTab: '(se abre en una pestaña nueva)',
  docvLinkUnavailable: 'El enlace no está disponible. Inténtalo más tarde.',
  docvStepsLabel: 'Progreso',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'Enlace enviado' : 'Enlace listo'),
  docvStepBegun: 'Iniciado en tu teléfono',
  docvStepCaptured: 'Documento fotografiado',
  docvStepProcessing: 'Comprobando tu documento',
  docvStepDone: 'completado',
  docvStatus: {
    SENT: 'Esperando a que abras el enlace en tu teléfono.',
    BEGUN: 'Abriste el enlace. Sigue los pasos en tu teléfono.',
    CAPTURED: 'Ya tenemos las fotos de tu documento.',
    PROCESSING: 'Estamos comprobando tu documento. Puede tardar un minuto.',
    VERIFIED: 'Hemos comprobado tu documento.',
    FAILED: 'No pudimos verificar tu documento.',
    NEEDS_RETRY: 'No pudimos leer tu documento. Inténtalo de nuevo con una foto nítida y bien iluminada.',
  },
  docvRetrying: 'Empezando de nuevo…',
  docvRetriesLeft: (count) => plural(count, { one: (n) => `Te queda ${n} intento.`, other: (n) => `Te quedan ${n} intentos.` }),
  docvOffline: 'No tienes conexión. Esto se actualizará cuando vuelvas a estar en línea.',
  docvRetryIn: (seconds) => `Podrás volver a intentarlo en ${duration(seconds)}.`,
  docvRetryReady: 'Ya puedes volver a intentarlo.',
  docvStepFailed: 'no superado',
  docvResend: 'Envíame un enlace nuevo',
  docvResending: 'Enviando…',
  docvResendIn: (seconds) => `Podrás solicitar un enlace nuevo en ${duration(seconds)}.`,
  docvResendReady: 'Ya puedes solicitar un enlace nuevo.',
  docvResent: (destination) =>
    destination
      ? `Te enviamos un enlace nuevo por SMS al ${destination}. Solo funciona el enlace más reciente.`
      : 'Te enviamos un enlace nuevo. Solo funciona el enlace más reciente.',
  // </docv-status>
};
