// Where onLoginRequired sends the browser when the session ends; your sign-in form goes here.
export default function LoginPage() {
  return (
    <main>
      <p>Your session ended. Sign in again.</p>
    </main>
  )
}
