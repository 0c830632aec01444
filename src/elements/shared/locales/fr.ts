/** French. A plain module that imports nothing at run time (the classic script loads it too). */
import type { KnownErrorCode, Messages } from './en.js';

type Forms = Partial<Record<Intl.LDMLPluralRule, (count: number) => string>> & { other: (count: number) => string };
const rules = new Intl.PluralRules('fr');
const plural = (count: number, forms: Forms) => (forms[rules.select(count)] ?? forms.other)(count).replace(/(\d) /g, '$1\u00a0');

const errors = {
  bad_json: "Un problème est survenu lors de l'envoi de votre réponse. Veuillez réessayer.",
  invalid_body: "Nous n'avons pas pu lire votre réponse. Vérifiez-la et réessayez.",
  csrf_rejected: "Cette page n'a pas pu être vérifiée. Rechargez la page et réessayez.",
  origin_rejected: "Cette page n'est pas autorisée à vous vérifier. Rechargez la page et réessayez.",
  not_found: 'Nous ne parvenons pas à joindre le service de vérification. Veuillez réessayer plus tard.',
  method_not_allowed: 'Nous ne parvenons pas à joindre le service de vérification. Veuillez réessayer plus tard.',
  action_mismatch: 'Cette étape a changé. Rechargez la page pour continuer.',
  session_finished: 'Cette vérification est déjà terminée.',
  payload_too_large: 'Votre réponse est trop longue. Vérifiez-la et réessayez.',
  unsupported_media_type: "Un problème est survenu lors de l'envoi de votre réponse. Veuillez réessayer.",
  session_unknown: 'Nous ne trouvons pas votre vérification. Veuillez recommencer.',
  wrong_code: "Ce code n'est pas correct.",
  code_expired: 'Ce code a expiré. Demandez un nouveau code.',
  session_missing: 'Votre session de vérification est introuvable. Veuillez recommencer.',
  session_invalid: "Votre session de vérification n'est pas valide. Veuillez recommencer.",
  session_expired: 'Votre session de vérification a expiré. Veuillez recommencer.',
  too_many_attempts: 'Trop de codes erronés.',
  resend_too_soon: 'Veuillez patienter un instant avant de demander un autre code.',
  resend_limit_reached: 'Vous ne pouvez plus demander de code.',
  send_limited: 'Trop de messages ont été envoyés à ces coordonnées. Réessayez plus tard.',
  send_limited_network: 'Trop de vérifications ont été lancées depuis ce réseau. Réessayez plus tard.',
  internal_error: 'Un problème est survenu de notre côté. Veuillez réessayer.',
  body_consumed: 'Un problème est survenu de notre côté. Veuillez réessayer.',
  upstream_auth_failed: "Le service de vérification n'est pas disponible pour le moment. Veuillez réessayer plus tard.",
  upstream_error: 'Le service de vérification a rencontré un problème. Veuillez réessayer.',
  upstream_invalid_response: 'Le service de vérification a rencontré un problème. Veuillez réessayer.',
  upstream_unavailable: 'Le service de vérification est occupé. Veuillez réessayer dans un instant.',
  store_unavailable: 'Le service de vérification est occupé. Veuillez réessayer dans un instant.',
  upstream_timeout: 'Le service de vérification a mis trop de temps à répondre. Veuillez réessayer.',
  network_error: 'Nous ne parvenons pas à joindre le service de vérification. Veuillez réessayer dans un instant.',
  offline: 'Vous êtes hors ligne. Vérifiez votre connexion Internet et réessayez.',
  timeout: 'Cela prend trop de temps. Vérifiez votre connexion et réessayez.',
  invalid_response: 'Nous avons reçu une réponse inattendue. Veuillez réessayer.',
  aborted: 'La demande a été annulée.',
  wrong_answers: 'Certaines de vos réponses sont incorrectes.',
  quiz_expired: 'Le temps imparti pour ces questions est écoulé.',
  retry_not_allowed: 'Vous ne pouvez pas refaire cette étape.',
  channel_unavailable: 'Nous ne pouvons pas l’envoyer de cette façon. Choisissez-en une autre.',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  const seconds = (count: number) => plural(count, { one: (n) => `${n} seconde`, other: (n) => `${n} secondes` });
  if (total < 60) return seconds(total);
  const minutes = plural(Math.floor(total / 60), { one: (n) => `${n} minute`, other: (n) => `${n} minutes` });
  return total % 60 === 0 ? minutes : `${minutes} et ${seconds(total % 60)}`;
}

export const fr: Messages = {
  flowLoading: 'Chargement de votre vérification…',
  flowStartAgain: 'Recommencer',
  flowStep: (index, total) => `Étape ${index} sur ${total}`,
  flowDecisionTitle: {
    ALLOW: 'Vous êtes vérifié',
    BLOCK: "Nous n'avons pas pu vous vérifier",
    REVIEW: 'Merci, nous examinons votre demande',
  },
  flowDecisionBody: {
    ALLOW: "Merci d'avoir confirmé qu'il s'agissait bien de vous. Vous pouvez continuer.",
    BLOCK: "Nous n'avons pas pu confirmer votre identité, nous ne pouvons donc pas continuer cette fois-ci.",
    REVIEW: "Nous avons besoin d'un peu plus de temps pour vérifier vos informations. Nous reviendrons vers vous.",
  },
  flowUnsupported: (name) => `Cette étape de vérification (${name}) n'est pas disponible ici. Veuillez contacter l'assistance.`,
  flowUnavailable: "Nous n'avons pas pu terminer cette vérification ici. Réessayez dans quelques minutes.",
  retry: 'Réessayer',

  errorMessage: (code) => (Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : 'Un problème est survenu. Veuillez réessayer.'),

  duration,

  attemptsLeft: (count) => plural(count, { one: (n) => `Il reste ${n} tentative.`, other: (n) => `Il reste ${n} tentatives.` }),

  otpLabel: 'Code de vérification',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Nous avons envoyé un code à ${codeLength} chiffres par e-mail à ${destination}.`
      : `Nous avons envoyé un code à ${codeLength} chiffres au ${destination}.`,
  otpHint: (codeLength) => `Saisissez le code à ${codeLength} chiffres.`,
  otpVerify: 'Vérifier',
  otpVerifying: 'Vérification…',
  otpExpiresIn: (seconds) => `Le code expire dans ${duration(seconds)}.`,
  otpResend: 'Envoyer un nouveau code',
  otpResendIn: (seconds) => `Vous pourrez demander un nouveau code dans ${duration(seconds)}.`,
  resendsLeft: (count) => plural(count, { one: (n) => `Il reste ${n} nouveau code.`, other: (n) => `Il reste ${n} nouveaux codes.` }),
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `Nous avons envoyé un nouveau code à ${codeLength} chiffres par e-mail à ${destination}.`
      : `Nous avons envoyé un nouveau code à ${codeLength} chiffres au ${destination}.`,
  otpOnlyNewest: 'Seul le code le plus récent fonctionne.',
  otpResendSending: "Envoi d'un nouveau code…",
  otpNoResendsLeft: 'Vous ne pouvez plus demander de code. Utilisez le dernier code envoyé.',
  otpLockedWait: (seconds) => `Vous pourrez réessayer dans ${duration(seconds)}.`,
  otpUnlocked: 'Vous pouvez de nouveau saisir un code.',
  otpOneMoreLocks: 'Un autre code erroné et vous devrez de nouveau patienter.',
  otpResendReady: 'Vous pouvez maintenant demander un nouveau code.',
  otpValueMissing: (codeLength) => `Saisissez le code à ${codeLength} chiffres.`,
  otpTooShort: (codeLength) => `Saisissez les ${codeLength} chiffres.`,
  otpPatternMismatch: 'Utilisez uniquement des chiffres.',

  kbaQuestionOf: (index, total) => `Question ${index} sur ${total}`,
  kbaChooseAllThatApply: 'Choisissez toutes les réponses qui conviennent.',
  kbaBack: 'Retour',
  kbaNext: 'Suivant',
  kbaReviewAnswers: 'Vérifier les réponses',
  kbaReviewTitle: 'Vérifiez vos réponses',
  kbaReviewHint: "Vous pouvez modifier chaque réponse avant l'envoi.",
  kbaChange: 'Modifier',
  kbaNotAnswered: 'Sans réponse',
  kbaSubmit: 'Envoyer les réponses',
  kbaSubmitting: 'Envoi…',
  kbaChooseOne: 'Choisissez une réponse pour continuer.',
  kbaChooseAtLeastOne: 'Choisissez au moins une réponse pour continuer.',
  kbaTimeLeft: (seconds) => `Temps restant\u00a0: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `Il reste ${duration(seconds)} pour répondre.`,
  kbaTimeUp: 'Le temps imparti pour ces questions est écoulé.',
  kbaNewQuestions: 'Voici de nouvelles questions.',
  kbaTooManyAttempts: 'Trop de tentatives.',
  kbaLockedWait: (seconds) => `Trop de tentatives. Vous pourrez réessayer dans ${duration(seconds)}.`,
  kbaUnlocked: 'Vous pouvez de nouveau envoyer vos réponses.',
  kbaAnswersKept: 'Vos réponses sont conservées.',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `Nous avons envoyé un lien par e-mail à ${destination}.` : `Nous avons envoyé un lien par SMS au ${destination}.`,
  othInstructions: "Ouvrez le lien sur n'importe quel appareil pour continuer.",
  othStatus: {
    MESSAGE_SENT: "En attente de l'ouverture du lien…",
    VERIFIED: 'Lien confirmé. Finalisation…',
    TERMINATED: 'Ce lien a été annulé.',
    FAILED_AUTHORIZATION: "Nous n'avons pas pu confirmer qu'il s'agissait de vous avec ce lien.",
    VERIFICATION_ATTEMPT_FAILED: "Ce lien n'a pas fonctionné.",
    INVALID: "Ce lien n'est plus valide.",
    UNKNOWN: 'Vérification du lien…',
  },
  othFailureHelp: (canResend) =>
    canResend ? 'Envoyez un nouveau lien pour réessayer.' : 'Nous ne pouvons plus envoyer de lien. Veuillez recommencer.',
  othResend: 'Envoyer un nouveau lien',
  othResendSending: "Envoi d'un nouveau lien…",
  othResendIn: (seconds) => `Vous pourrez demander un nouveau lien dans ${duration(seconds)}.`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `Nous avons envoyé un nouveau lien par e-mail à ${destination}. Seul le lien le plus récent fonctionne.`
      : `Nous avons envoyé un nouveau lien par SMS au ${destination}. Seul le lien le plus récent fonctionne.`,
  othResendReady: 'Vous pouvez maintenant demander un nouveau lien.',
  othNoResendsLeft: 'Vous ne pouvez plus demander de lien.',
  othLinksLeft: (count) => plural(count, { one: (n) => `Il reste ${n} nouveau lien.`, other: (n) => `Il reste ${n} nouveaux liens.` }),
  othSendBy: (channel) => (channel === 'EMAIL' ? "L'envoyer plutôt par e-mail" : "L'envoyer plutôt par SMS"),
  othExpiresIn: (seconds) => `Le lien expire dans ${duration(seconds)}.`,
  othExpired: 'Ce lien a expiré.',
  othOffline: 'Vous êtes hors ligne. Nous vérifierons de nouveau dès votre retour en ligne.',
  othBackOnline: 'Vous êtes de nouveau en ligne.',

  docvSmsSent: (destination) =>
    destination
      ? `Nous avons envoyé un lien par SMS au ${destination}. Ouvrez-le sur votre téléphone pour photographier votre pièce d'identité.`
      : "Nous avons envoyé un lien par SMS sur votre téléphone. Ouvrez-le pour photographier votre pièce d'identité.",
  docvScanQr: "Scannez ce code avec l'appareil photo de votre téléphone, puis suivez les étapes pour photographier votre pièce d'identité.",
  docvQrLabel: "Code QR qui ouvre la vérification d'identité sur votre téléphone",
  docvContinueHere: 'Continuer sur cet appareil',
  docvOpensInNewTab: "(s'ouvre dans un nouvel onglet)",
  docvLinkUnavailable: "Le lien n'est pas disponible. Veuillez réessayer plus tard.",
  docvStepsLabel: 'Progression',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'Lien envoyé' : 'Lien prêt'),
  docvStepBegun: 'Commencé sur votre téléphone',
  docvStepCaptured: "Pièce d'identité photographiée",
  docvStepProcessing: "Vérification de votre pièce d'identité",
  docvStepDone: 'terminé',
  docvStatus: {
    SENT: "En attente de l'ouverture du lien sur votre téléphone.",
    BEGUN: 'Vous avez ouvert le lien. Suivez les étapes sur votre téléphone.',
    CAPTURED: "Nous avons les photos de votre pièce d'identité.",
    PROCESSING: "Nous vérifions votre pièce d'identité. Cela peut prendre une minute.",
    VERIFIED: "Nous avons vérifié votre pièce d'identité.",
    FAILED: "Nous n'avons pas pu vérifier votre pièce d'identité.",
    NEEDS_RETRY: "Nous n'avons pas pu lire votre pièce d'identité. Réessayez avec une photo nette et bien éclairée.",
  },
  docvRetrying: 'Nouvel essai…',
  docvRetriesLeft: (count) => plural(count, { one: (n) => `Il reste ${n} essai.`, other: (n) => `Il reste ${n} essais.` }),
  docvOffline: 'Vous êtes hors ligne. Cette page se mettra à jour dès votre retour en ligne.',
  docvRetryIn: (seconds) => `Vous pourrez réessayer dans ${duration(seconds)}.`,
  docvRetryReady: 'Vous pouvez réessayer maintenant.',
  docvStepFailed: 'échec',
  docvResend: "M'envoyer un nouveau lien",
  docvResending: 'Envoi…',
  docvResendIn: (seconds) => `Vous pourrez demander un nouveau lien dans ${duration(seconds)}.`,
  docvResendReady: 'Vous pouvez maintenant demander un nouveau lien.',
  docvResent: (destination) =>
    destination
      ? `Nous avons envoyé un nouveau lien par SMS au ${destination}. Seul le lien le plus récent fonctionne.`
      : 'Nous vous avons envoyé un nouveau lien. Seul le lien le plus récent fonctionne.',
};
