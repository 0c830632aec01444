export { KbaQuiz, type KbaQuizClient } from './kba-quiz.js';
