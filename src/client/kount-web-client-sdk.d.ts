// Kount's collector ships no types; this is the shape its source (2.0.0) has. Not shipped.
declare module '@kount/kount-web-client-sdk' {
  const kountSDK: import('./device-data.js').KountCollector;
  export default kountSDK;
}
