package dev.aigateway.router;

import dev.aigateway.core.Deployment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.aigateway.router.RouterTest.d;
import static org.assertj.core.api.Assertions.assertThat;

/** Weighted rendezvous hashing: a session stays put, weights hold across sessions, and only the displaced sessions move. */
class SessionAffinityTest {
    static final int SESSIONS = 20_000;
    final List<Deployment> three = List.of(d("a", "{\"weight\":1}"), d("b", "{\"weight\":2}"), d("c", "{\"weight\":7}"));

    static long session(int i) {
        return SessionAffinity.key(("session-" + i).hashCode());
    }

    @Test
    void aSessionAlwaysGetsTheSameDeploymentWhateverTheCandidatesOrder() {
        List<Deployment> reversed = new ArrayList<>(three);
        java.util.Collections.reverse(reversed);
        for (int i = 0; i < 1_000; i++) {
            Deployment first = SessionAffinity.choose(three, session(i));
            assertThat(SessionAffinity.choose(three, session(i))).isSameAs(first);
            assertThat(SessionAffinity.choose(reversed, session(i))).isSameAs(first);
        }
    }

    @Test
    void acrossSessionsEachDeploymentGetsItsWeightsShare() {
        Map<String, Integer> h = new HashMap<>();
        for (int i = 0; i < SESSIONS; i++) h.merge(SessionAffinity.choose(three, session(i)).id(), 1, Integer::sum);
        // as simple-shuffle's test: 4 binomial standard deviations
        assertThat(h.get("a") / (double) SESSIONS).isBetween(0.087, 0.113);
        assertThat(h.get("b") / (double) SESSIONS).isBetween(0.187, 0.213);
        assertThat(h.get("c") / (double) SESSIONS).isBetween(0.687, 0.713);
    }

    @Test
    void whenADeploymentIsUnavailableOnlyItsSessionsMoveAndTheyComeBack() {
        List<Deployment> withoutC = three.subList(0, 2);
        int moved = 0;
        for (int i = 0; i < SESSIONS; i++) {
            Deployment usual = SessionAffinity.choose(three, session(i));
            Deployment meanwhile = SessionAffinity.choose(withoutC, session(i));
            if (!usual.id().equals("c")) assertThat(meanwhile).as("session %d was not on c", i).isSameAs(usual);
            else moved++;
        }
        assertThat(moved / (double) SESSIONS).as("c's sessions, and only those").isBetween(0.687, 0.713);
    }

    @Test
    void keysAreNeverNone() {
        for (int h : new int[]{0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThat(SessionAffinity.key(h)).isNotEqualTo(SessionAffinity.NONE);
        }
    }
}
