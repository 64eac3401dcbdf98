import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/auth";

// better-auth's own endpoints: sign-up, sign-in, sign-out, sessions, teams (organizations), members and invitations.
const handler = (request: Request) => auth().handler(request);
export const { GET, POST, PATCH, PUT, DELETE } = toNextJsHandler(handler);
