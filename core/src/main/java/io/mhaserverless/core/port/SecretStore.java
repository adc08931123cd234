package io.mhaserverless.core.port;

/** Resolves a config's credentialsSecret (AWS: Secrets Manager, a JSON secret with "username" and "password"). */
public interface SecretStore {

    /** The account stored under {@code secretId}; never logged. */
    Account account(String secretId);

    record Account(String user, String password) {
        @Override
        public String toString() {
            return "Account[user=" + user + ", password=***]";
        }
    }
}
