/** Japanese. Counts have one form. A plain module that imports nothing at run time (the classic script loads it too). */
import type { KnownErrorCode, Messages } from './en.js';

const errors = {
  bad_json: '回答の送信中に問題が発生しました。もう一度お試しください。',
  invalid_body: '回答を読み取れませんでした。内容を確認して、もう一度お試しください。',
  csrf_rejected: 'このページを確認できませんでした。ページを再読み込みして、もう一度お試しください。',
  origin_rejected: 'このページでは本人確認ができません。ページを再読み込みして、もう一度お試しください。',
  not_found: '認証サービスに接続できません。しばらくしてからもう一度お試しください。',
  method_not_allowed: '認証サービスに接続できません。しばらくしてからもう一度お試しください。',
  action_mismatch: 'この手順は変更されました。ページを再読み込みして続けてください。',
  session_finished: 'この本人確認はすでに終了しています。',
  payload_too_large: '回答が長すぎます。内容を確認して、もう一度お試しください。',
  unsupported_media_type: '回答の送信中に問題が発生しました。もう一度お試しください。',
  session_unknown: '本人確認が見つかりません。最初からやり直してください。',
  wrong_code: 'コードが正しくありません。',
  code_expired: 'コードの有効期限が切れました。新しいコードをリクエストしてください。',
  session_missing: '本人確認のセッションが見つかりません。最初からやり直してください。',
  session_invalid: '本人確認のセッションが無効です。最初からやり直してください。',
  session_expired: '本人確認のセッションの有効期限が切れました。最初からやり直してください。',
  too_many_attempts: '誤ったコードの入力が多すぎます。',
  resend_too_soon: '少し待ってから、別のコードをリクエストしてください。',
  resend_limit_reached: 'これ以上コードをリクエストできません。',
  send_limited: 'この連絡先に送信されたメッセージが多すぎます。しばらくしてからもう一度お試しください。',
  send_limited_network: 'このネットワークから開始された確認が多すぎます。しばらくしてからもう一度お試しください。',
  internal_error: 'こちら側で問題が発生しました。もう一度お試しください。',
  body_consumed: 'こちら側で問題が発生しました。もう一度お試しください。',
  upstream_auth_failed: '認証サービスは現在利用できません。しばらくしてからもう一度お試しください。',
  upstream_error: '認証サービスで問題が発生しました。もう一度お試しください。',
  upstream_invalid_response: '認証サービスで問題が発生しました。もう一度お試しください。',
  upstream_unavailable: '認証サービスが混み合っています。少し待ってからもう一度お試しください。',
  store_unavailable: '認証サービスが混み合っています。少し待ってからもう一度お試しください。',
  upstream_timeout: '認証サービスの応答に時間がかかりすぎました。もう一度お試しください。',
  network_error: '認証サービスに接続できません。少し待ってからもう一度お試しください。',
  offline: 'オフラインです。インターネット接続を確認して、もう一度お試しください。',
  timeout: '時間がかかりすぎています。接続を確認して、もう一度お試しください。',
  invalid_response: '予期しない応答を受け取りました。もう一度お試しください。',
  aborted: 'リクエストはキャンセルされました。',
  wrong_answers: '正しくない回答があります。',
  quiz_expired: 'これらの質問の制限時間が過ぎました。',
  retry_not_allowed: 'この手順はやり直せません。',
  channel_unavailable: 'その方法では送信できません。別の方法を選んでください。',
} satisfies Record<KnownErrorCode, string>;

function duration(value: number): string {
  const total = Math.max(0, Math.ceil(value));
  if (total < 60) return `${total}秒`;
  const minutes = `${Math.floor(total / 60)}分`;
  return total % 60 === 0 ? minutes : `${minutes}${total % 60}秒`;
}

export const ja: Messages = {
  flowLoading: '本人確認を読み込んでいます…',
  flowStartAgain: '最初からやり直す',
  flowStep: (index, total) => `ステップ ${index}/${total}`,
  flowDecisionTitle: {
    ALLOW: '本人確認が完了しました',
    BLOCK: '本人確認ができませんでした',
    REVIEW: 'ありがとうございます。確認しています',
  },
  flowDecisionBody: {
    ALLOW: 'ご本人であることを確認しました。このまま続けられます。',
    BLOCK: 'ご本人であることを確認できなかったため、今回は続けられません。',
    REVIEW: 'お客様の情報の確認にもう少し時間がかかります。追ってご連絡します。',
  },
  flowUnsupported: (name) => `この本人確認の手順（${name}）はここでは利用できません。サポートにお問い合わせください。`,
  flowUnavailable: 'ここではこの確認を完了できませんでした。数分後にもう一度お試しください。',
  retry: 'もう一度試す',

  errorMessage: (code) => (Object.hasOwn(errors, code) ? errors[code as KnownErrorCode] : '問題が発生しました。もう一度お試しください。'),

  duration,

  attemptsLeft: (count) => `残り${count}回です。`,

  otpLabel: '確認コード',
  otpSentTo: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `${destination} に${codeLength}桁のコードをメールで送信しました。`
      : `${destination} に${codeLength}桁のコードを送信しました。`,
  otpHint: (codeLength) => `${codeLength}桁のコードを入力してください。`,
  otpVerify: '確認',
  otpVerifying: '確認しています…',
  otpExpiresIn: (seconds) => `コードの有効期限はあと${duration(seconds)}です。`,
  otpResend: '新しいコードを送信',
  otpResendIn: (seconds) => `${duration(seconds)}後に新しいコードをリクエストできます。`,
  resendsLeft: (count) => `新しいコードはあと${count}回送信できます。`,
  otpResendSent: (channel, codeLength, destination) =>
    channel === 'EMAIL'
      ? `${destination} に新しい${codeLength}桁のコードをメールで送信しました。`
      : `${destination} に新しい${codeLength}桁のコードを送信しました。`,
  otpOnlyNewest: '使えるのは最新のコードだけです。',
  otpResendSending: '新しいコードを送信しています…',
  otpNoResendsLeft: 'これ以上コードをリクエストできません。最後に送信したコードを使ってください。',
  otpLockedWait: (seconds) => `${duration(seconds)}後にもう一度お試しいただけます。`,
  otpUnlocked: 'もう一度コードを入力できます。',
  otpOneMoreLocks: 'もう一度間違ったコードを入力すると、再び待つ必要があります。',
  otpResendReady: '新しいコードをリクエストできるようになりました。',
  otpValueMissing: (codeLength) => `${codeLength}桁のコードを入力してください。`,
  otpTooShort: (codeLength) => `${codeLength}桁すべてを入力してください。`,
  otpPatternMismatch: '数字のみを入力してください。',

  kbaQuestionOf: (index, total) => `質問 ${index}/${total}`,
  kbaChooseAllThatApply: '当てはまるものをすべて選んでください。',
  kbaBack: '戻る',
  kbaNext: '次へ',
  kbaReviewAnswers: '回答を確認',
  kbaReviewTitle: '回答を確認してください',
  kbaReviewHint: '送信する前に、どの回答も変更できます。',
  kbaChange: '変更',
  kbaNotAnswered: '未回答',
  kbaSubmit: '回答を送信',
  kbaSubmitting: '送信しています…',
  kbaChooseOne: '続けるには回答を1つ選んでください。',
  kbaChooseAtLeastOne: '続けるには回答を1つ以上選んでください。',
  kbaTimeLeft: (seconds) => `残り時間: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
  kbaTimeLeftAnnouncement: (seconds) => `回答の残り時間は${duration(seconds)}です。`,
  kbaTimeUp: 'これらの質問の制限時間が過ぎました。',
  kbaNewQuestions: '新しい質問です。',
  kbaTooManyAttempts: '試行回数が多すぎます。',
  kbaLockedWait: (seconds) => `試行回数が多すぎます。${duration(seconds)}後にもう一度お試しいただけます。`,
  kbaUnlocked: 'もう一度回答を送信できます。',
  kbaAnswersKept: '回答はそのまま残っています。',

  othSentTo: (channel, destination) =>
    channel === 'EMAIL' ? `${destination} にリンクをメールで送信しました。` : `${destination} にリンクをSMSで送信しました。`,
  othInstructions: 'どの端末でもリンクを開いて続けてください。',
  othStatus: {
    MESSAGE_SENT: 'リンクが開かれるのを待っています…',
    VERIFIED: 'リンクを確認しました。完了しています…',
    TERMINATED: 'このリンクはキャンセルされました。',
    FAILED_AUTHORIZATION: 'このリンクではご本人であることを確認できませんでした。',
    VERIFICATION_ATTEMPT_FAILED: 'そのリンクは機能しませんでした。',
    INVALID: 'このリンクは無効になりました。',
    UNKNOWN: 'リンクを確認しています…',
  },
  othFailureHelp: (canResend) =>
    canResend ? '新しいリンクを送信して、もう一度お試しください。' : 'これ以上リンクを送信できません。最初からやり直してください。',
  othResend: '新しいリンクを送信',
  othResendSending: '新しいリンクを送信しています…',
  othResendIn: (seconds) => `${duration(seconds)}後に新しいリンクをリクエストできます。`,
  othResendSent: (channel, destination) =>
    channel === 'EMAIL'
      ? `${destination} に新しいリンクをメールで送信しました。使えるのは最新のリンクだけです。`
      : `${destination} に新しいリンクをSMSで送信しました。使えるのは最新のリンクだけです。`,
  othResendReady: '新しいリンクをリクエストできるようになりました。',
  othNoResendsLeft: 'これ以上リンクをリクエストできません。',
  othLinksLeft: (count) => `新しいリンクはあと${count}回送信できます。`,
  othSendBy: (channel) => (channel === 'EMAIL' ? '代わりにメールで送信' : '代わりにSMSで送信'),
  othExpiresIn: (seconds) => `リンクの有効期限はあと${duration(seconds)}です。`,
  othExpired: 'このリンクの有効期限が切れました。',
  othOffline: 'オフラインです。オンラインに戻ったら、もう一度確認します。',
  othBackOnline: 'オンラインに戻りました。',

  docvSmsSent: (destination) =>
    destination
      ? `${destination} にSMSでリンクを送信しました。スマートフォンで開き、本人確認書類を撮影してください。`
      : 'お使いのスマートフォンにSMSでリンクを送信しました。リンクを開き、本人確認書類を撮影してください。',
  docvScanQr: 'スマートフォンのカメラでこのコードを読み取り、手順に従って本人確認書類を撮影してください。',
  docvQrLabel: 'スマートフォンで本人確認書類の確認を開くQRコード',
  docvContinueHere: 'この端末で続ける',
  docvOpensInNewTab: '（新しいタブで開きます）',
  docvLinkUnavailable: 'リンクを利用できません。しばらくしてからもう一度お試しください。',
  docvStepsLabel: '進捗状況',
  docvStepSent: (delivery) => (delivery === 'SMS' ? 'リンクを送信済み' : 'リンクの準備完了'),
  docvStepBegun: 'スマートフォンで開始',
  docvStepCaptured: '本人確認書類を撮影済み',
  docvStepProcessing: '本人確認書類を確認中',
  docvStepDone: '完了',
  docvStatus: {
    SENT: 'スマートフォンでリンクが開かれるのを待っています。',
    BEGUN: 'リンクが開かれました。スマートフォンの手順に従ってください。',
    CAPTURED: '本人確認書類の写真を受け取りました。',
    PROCESSING: '本人確認書類を確認しています。1分ほどかかる場合があります。',
    VERIFIED: '本人確認書類を確認しました。',
    FAILED: '本人確認書類を確認できませんでした。',
    NEEDS_RETRY: '本人確認書類を読み取れませんでした。明るい場所で、鮮明な写真を撮り直してください。',
  },
  docvRetrying: 'やり直しています…',
  docvRetriesLeft: (count) => `あと${count}回やり直せます。`,
  docvOffline: 'オフラインです。オンラインに戻ると、この表示は更新されます。',
  docvRetryIn: (seconds) => `${duration(seconds)}後にもう一度お試しいただけます。`,
  docvRetryReady: 'もう一度お試しいただけます。',
  docvStepFailed: '不合格',
  docvResend: '新しいリンクをSMSで送信',
  docvResending: '送信しています…',
  docvResendIn: (seconds) => `${duration(seconds)}後に新しいリンクをリクエストできます。`,
  docvResendReady: '新しいリンクをリクエストできるようになりました。',
  docvResent: (destination) =>
    destination
      ? `${destination} に新しいリンクをSMSで送信しました。使えるのは最新のリンクだけです。`
      : '新しいリンクを送信しました。使えるのは最新のリンクだけです。',
};
