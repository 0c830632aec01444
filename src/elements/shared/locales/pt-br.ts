/** Brazilian Portuguese, also shown for other Portuguese tags. Imports nothing at run time (the classic script loads it too). */
import type { KnownErrorCode, Messages } from './en.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, (count: number) => string>> & { other: (count: number) => string };
const rules = new Intl.PluralRules('pt-BR');
const plural = (count: number, forms: Forms) => (forms[rules.select(count)] ?? forms.other)(count).replace(/(\d) /g, '$1\u00a0');

const errors = {
  bad_json: 'Algo deu errado ao enviar sua resposta. Tente novamente.',
  invalid_body: 'Não conseguimos ler sua resposta. Confira e tente novamente.',
  csrf_rejected: 'Não foi possível verificar esta página. Recarregue a página e tente novamente.',
  origin_rejected: 'Esta página não tem permissão para verificar você. Recarregue a página e tente novamente.',
  not_found: 'Não conseguimos acessar o serviço de verificação. Tente novamente mais tarde.',
  method_not_allowed: 'Não conseguimos acessar o serviço de verificação. Tente novamente mais tarde.',
  action_mismatch: 'Esta etapa mudou. Recarregue a página para continuar.',
  session_finished: 'Esta verificação já terminou.',
  payload_too_large: 'Sua resposta é longa demais. Confira e tente novamente.',
  unsupported_media_type: 'Algo deu errado ao enviar sua resposta. Tente novamente.',
  session_unknown: 'Não encontramos sua verificação. Comece de novo.',
  wrong_code: 'Esse código não está correto.',
  code_expired: 'Esse código expirou. Peça um novo código.',
  session_missing: 'Sua sessão de verificação não foi encontrada. Comece de novo.',
  session_invalid: 'Sua sessão de verificação não é válida. Comece de novo.',
  session_expired: 'Sua sessão de verificação expirou. Comece de novo.',
  too_many_attempts: 'Códigos incorretos demais.',
  resend_too_soon: 'Aguarde um momento antes de pedir outro código.',
  resend_limit_reached: 'Você não pode pedir mais códigos.',
  send_limited: 'Foram enviadas mensagens demais para estes dados de contato. Tente novamente mais tarde.',
  send_limited_network: 'Foram iniciadas verificações demais a partir desta rede. Tente novamente mais tarde.',
  internal_error: 'Algo deu errado do nosso lado. Tente novamente.',
  body_consumed: 'Algo deu errado do nosso lado. Tente novamente.',
  upstream_auth_failed: 'O serviço de verificação não está disponível agora. Tente novamente mais tarde.',
  upstream_error: 'O serviço de verificação teve um problema. Tente novamente.',
  upstream_invalid_response: 'O serviço de verificação teve um problema. Tente novamente.',
  upstream_unavailable: 'O serviço de verificação está ocupado. Tente novamente em instantes.',
  store_unavailable: 'O serviço de verificação está ocupado. Tente novamente em instantes.',
  upstream_timeout: 'O serviço de verificação demorou demais para responder. Tente novamente.',
  network_error: 'Não conseguimos acessar o serviço de verificação. Tente novamente em instantes.',
  offline: 'Você está sem conexão. Verifique sua internet e tente novamente.',
  timeout: 'Isso está demorando demais. Verifique sua conexão e tente novamente.',
  invalid_response: 'Recebemos uma resposta inesperada. Tente novamente.',
  aborted: 'A solicitação foi cancelada.',
  wrong_answers: 'Algumas das suas respostas não estão corretas.',
  quiz_expired: 'O tempo para estas perguntas acabou.',
  retry_not_allowed: 'Você não pode repetir esta etapa.',
  channel_unavailable: 'Não podemos enviar dessa forma. Escolha outra.',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  const seconds = (count: number) => plural(count, { one: (n) => `${n} segundo`, other: (n) => `${n} segundos` });
  if (total < 60) return seconds(total);
  const minutes = plural(Math.floor(total / 60), { one: (n) => `${n} minuto`, other: (n) => `${n} minutos` });
  return total % 60 === 0 ? minutes : `${minutes} e ${seconds(total % 60)}`;
}

export const ptBR: Messages = {
  flowLoading: 'Carregando sua verificação…',
  flowStartAgain: 'Começar de novo',
  flowStep: (index, total) => `Etapa ${index} de ${total}`,
  flowDecisionTitle: {
    ALLOW: 'Você foi verificado',
    BLOCK: 'Não conseguimos verificar você',
    REVIEW: 'Obrigado, estamos analisando',
  },
  flowDecisionBody: {
    ALLOW: 'Obrigado por confirmar que é você. Você pode continuar.',
    BLOCK: 'Não conseguimos confirmar sua identidade, então não podemos continuar desta vez.',
    REVIEW: 'Precisamos de um pouco mais de tempo para conferir seus dados. Entraremos em contato.',
  },
  flowUnsupported: (name) => `Esta etapa de verificação (${name}) não está disponível aqui. Fale com o suporte.`,
  flowUnavailable: 'Não conseguimos concluir esta verificação aqui. Tente de novo em alguns minutos.',
  retry: 'Tentar novamente',

  errorMessage: (code) => (Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'Algo deu errado. Tente novamente.'),

  duration,

  attemptsLeft: (count) => plural(count, { one: (n) => `Resta ${n} tentativa.`, other: (n) => `Restam ${n} tentativas.` }),

  otpLabel: 'Código de verificação',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Enviamos um código de ${codeLength} dígitos por e-mail para ${destination}.`
      : `Enviamos um código de ${codeLength} dígitos para ${destination}.`,
  otpHint: (codeLength) => `Digite o código de ${codeLength} dígitos.`,
  otpVerify: 'Verificar',
  otpVerifying: 'Verificando…',
  otpExpiresIn: (seconds) => `O código expira em ${duration(seconds)}.`,
  otpResend: 'Enviar um novo código',
  otpResendIn: (seconds) => `Você poderá pedir um novo código em ${duration(seconds)}.`,
  resendsLeft: (count) => plural(count, { one: (n) => `Resta ${n} novo código.`, other: (n) => `Restam ${n} novos códigos.` }),
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Enviamos um novo código de ${codeLength} dígitos por e-mail para ${destination}.`
      : `Enviamos um novo código de ${codeLength} dígitos para ${destination}.`,
  otpOnlyNewest: 'Só o código mais recente funciona.',
  otpResendSending: 'Enviando um novo código…',
  otpNoResendsLeft: 'Você não pode pedir mais códigos. Use o último código que enviamos.',
  otpLockedWait: (seconds) => `Você poderá tentar de novo em ${duration(seconds)}.`,
  otpUnlocked: 'Você já pode digitar um código de novo.',
  otpOneMoreLocks: 'Mais um código errado e você terá que esperar de novo.',
  otpResendReady: 'Você já pode pedir um novo código.',
  otpValueMissing: (codeLength) => `Digite o código de ${codeLength} dígitos.`,
  otpTooShort: (codeLength) => `Digite os ${codeLength} dígitos.`,
  otpPatternMismatch: 'Use apenas números.',

  kbaQuestionOf: (index, total) => `Pergunta ${index} de ${total}`,
  kbaChooseAllThatApply: 'Escolha todas as opções que se aplicam.',
  kbaBack: 'Voltar',
  kbaNext: 'Próxima',
  kbaReviewAnswers: 'Revisar respostas',
  kbaReviewTitle: 'Confira suas respostas',
  kbaReviewHint: 'Você pode alterar qualquer resposta antes de enviar.',
  kbaChange: 'Alterar',
  kbaNotAnswered: 'Sem resposta',
  kbaSubmit: 'Enviar respostas',
  kbaSubmitting: 'Enviando…',
  kbaChooseOne: 'Escolha uma resposta para continuar.',
  kbaChooseAtLeastOne: 'Escolha pelo menos uma resposta para continuar.',
  kbaTimeLeft: (seconds) => `Tempo restante: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `Você tem ${duration(seconds)} para responder.`,
  kbaTimeUp: 'O tempo para estas perguntas acabou.',
  kbaNewQuestions: 'Aqui estão novas perguntas.',
  kbaTooManyAttempts: 'Tentativas demais.',
  kbaLockedWait: (seconds) => `Tentativas demais. Você poderá tentar de novo em ${duration(seconds)}.`,
  kbaUnlocked: 'Você já pode enviar suas respostas de novo.',
  kbaAnswersKept: 'Suas respostas foram mantidas.',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `Enviamos um link por e-mail para ${destination}.` : `Enviamos um link por SMS para ${destination}.`,
  othInstructions: 'Abra o link em qualquer dispositivo para continuar.',
  othStatus: {
    MESSAGE_SENT: 'Aguardando você abrir o link…',
    VERIFIED: 'Link confirmado. Finalizando…',
    TERMINATED: 'Este link foi cancelado.',
    FAILED_AUTHORIZATION: 'Não conseguimos confirmar que era você com este link.',
    VERIFICATION_ATTEMPT_FAILED: 'Esse link não funcionou.',
    INVALID: 'Este link não é mais válido.',
    UNKNOWN: 'Verificando o link…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'Envie um novo link para tentar de novo.' : 'Não podemos enviar mais links. Comece de novo.',
  othResend: 'Enviar um novo link',
  othResendSending: 'Enviando um novo link…',
  othResendIn: (seconds) => `Você poderá pedir um novo link em ${duration(seconds)}.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `Enviamos um novo link por e-mail para ${destination}. Só o link mais recente funciona.`
      : `Enviamos um novo link por SMS para ${destination}. Só o link mais recente funciona.`,
  othResendReady: 'Você já pode pedir um novo link.',
  othNoResendsLeft: 'Você não pode pedir mais links.',
  othLinksLeft: (count) => plural(count, { one: (n) => `Resta ${n} novo link.`, other: (n) => `Restam ${n} novos links.` }),
  othSendBy: (channel) => (channel === 'EMAIL' ? 'Enviar por e-mail' : 'Enviar por SMS'),
  othExpiresIn: (seconds) => `O link expira em ${duration(seconds)}.`,
  othExpired: 'Este link expirou.',
  othOffline: 'Você está sem conexão. Vamos verificar de novo quando você voltar a ficar on-line.',
  othBackOnline: 'Você está on-line de novo.',

  docvSmsSent: (destination) =>
    destination
      ? `Enviamos um link por SMS para ${destination}. Abra no celular para fotografar seu documento de identidade.`
      : 'Enviamos um link por SMS para o seu celular. Abra-o para fotografar seu documento de identidade.',
  docvScanQr: 'Escaneie este código com a câmera do celular e siga as etapas para fotografar seu documento de identidade.',
  docvQrLabel: 'Código QR que abre a verificação do documento no seu celular',
  docvContinueHere: 'Continuar neste dispositivo',
  docvOpensInNewTab: '(abre em uma nova guia)',
  docvLinkUnavailable: 'O link não está disponível. Tente novamente mais tarde.',
  docvStepsLabel: 'Progresso',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'Link enviado' : 'Link pronto'),
  docvStepBegun: 'Iniciado no seu celular',
  docvStepCaptured: 'Documento fotografado',
  docvStepProcessing: 'Verificando seu documento',
  docvStepDone: 'concluído',
  docvStatus: {
    SENT: 'Aguardando você abrir o link no celular.',
    BEGUN: 'Você abriu o link. Siga as etapas no celular.',
    CAPTURED: 'Recebemos as fotos do seu documento.',
    PROCESSING: 'Estamos verificando seu documento. Isso pode levar um minuto.',
    VERIFIED: 'Verificamos seu documento.',
    FAILED: 'Não conseguimos verificar seu documento.',
    NEEDS_RETRY: 'Não conseguimos ler seu documento. Tente de novo com uma foto nítida e bem iluminada.',
  },
  docvRetrying: 'Recomeçando…',
  docvRetriesLeft: (count) => plural(count, { one: (n) => `Resta ${n} tentativa.`, other: (n) => `Restam ${n} tentativas.` }),
  docvOffline: 'Você está sem conexão. Isto será atualizado quando você voltar a ficar on-line.',
  docvRetryIn: (seconds) => `Você poderá tentar de novo em ${duration(seconds)}.`,
  docvRetryReady: 'Você já pode tentar de novo.',
  docvStepFailed: 'não aprovado',
  docvResend: 'Enviar um novo link por SMS',
  docvResending: 'Enviando…',
  docvResendIn: (seconds) => `Você poderá pedir um novo link em ${duration(seconds)}.`,
  docvResendReady: 'Você já pode pedir um novo link.',
  docvResent: (destination) =>
    destination
      ? `Enviamos um novo link por SMS para ${destination}. Só o link mais recente funciona.`
      : 'Enviamos um novo link para você. Só o link mais recente funciona.',
};
