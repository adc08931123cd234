package io.mhaserverless.core.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GtidSetTest {

    private static final String U1 = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String U2 = "7b3f1c52-0c4b-11ef-8a5d-0242ac120003";

    private static MySqlGtidSet my(String text) {
        return MySqlGtidSet.parse(text);
    }

    private static MariaDbGtidSet maria(String text) {
        return MariaDbGtidSet.parse(text);
    }

    @Nested
    class MySql {

        @Test
        void adjacentIntervalsMergeIntoOne() {
            assertThat(my(U1 + ":1-5:6-10")).hasToString(U1 + ":1-10");
            assertThat(my(U1 + ":5:6")).hasToString(U1 + ":5-6");
        }

        @Test
        void overlappingAndContainedIntervalsMerge() {
            assertThat(my(U1 + ":1-5:3-8")).hasToString(U1 + ":1-8");
            assertThat(my(U1 + ":1-100:20-30")).hasToString(U1 + ":1-100");
        }

        @Test
        void intervalsAreSortedAndGapsKept() {
            assertThat(my(U1 + ":20-30:1-5:7")).hasToString(U1 + ":1-5:7:20-30");
        }

        @Test
        void theSameUuidTwiceIsOneEntry() {
            assertThat(my(U1 + ":1-3," + U1 + ":4-6")).hasToString(U1 + ":1-6");
        }

        @Test
        void uuidsAreSortedAndLowerCased() {
            assertThat(my(U2.toUpperCase() + ":1-3," + U1.toUpperCase() + ":1-5")).hasToString(U1 + ":1-5," + U2 + ":1-3");
            assertThat(my(U1.toUpperCase() + ":1-5")).isEqualTo(my(U1 + ":1-5"))
                    .hasSameHashCodeAs(my(U1 + ":1-5"));
        }

        @Test
        void whitespaceAndTheNewlinesServersPrintAreIgnored() {
            assertThat(my("  " + U1 + ":1-5 ,\n" + U2 + ":1-3\n")).hasToString(U1 + ":1-5," + U2 + ":1-3");
            assertThat(my(U1 + ":1-5,\r\n\t" + U2 + ":1-3")).isEqualTo(my(U1 + ":1-5," + U2 + ":1-3"));
        }

        @Test
        void emptyBlankAndNullAreTheEmptySet() {
            assertThat(my("").isEmpty()).isTrue();
            assertThat(my(" \n").isEmpty()).isTrue();
            assertThat(my(null).isEmpty()).isTrue();
            assertThat(MySqlGtidSet.empty()).hasToString("").isEqualTo(my(""));
            assertThat(my(U1 + ":1").isEmpty()).isFalse();
        }

        @Test
        void taggedGtidsAreKeptApartFromUntaggedOnesOfTheSameUuid() {
            MySqlGtidSet set = my(U1 + ":1-5:etl:1-3");

            assertThat(set).hasToString(U1 + ":1-5:etl:1-3");
            assertThat(set.count()).isEqualTo(8);
            assertThat(set.contains(my(U1 + ":etl:2"))).isTrue();
            assertThat(my(U1 + ":1-5").contains(my(U1 + ":etl:1"))).isFalse();
            assertThat(my(U1 + ":etl:1-3").contains(my(U1 + ":1"))).isFalse();
        }

        @Test
        void aTagAppliesToTheIntervalsAfterItAndTagsAreLowerCased() {
            assertThat(my(U1 + ":ETL:1-3:7,  " + U1 + ":9")).hasToString(U1 + ":9:etl:1-3:7");
            assertThat(my(U1 + ":beta:1:alpha:2-4:5")).hasToString(U1 + ":alpha:2-5:beta:1");
        }

        @Test
        void aTaggedOnlySetPrintsItsUuidOnce() {
            assertThat(my(U1 + ":etl:1-3," + U2 + ":1")).hasToString(U1 + ":etl:1-3," + U2 + ":1");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                U1 + ":1-10",
                U1 + ":1-5:7:20-30," + U2 + ":1-3",
                U1 + ":1-5:etl:1-3," + U2 + ":1-17",
                U1 + ":alpha:1:beta:2-3",
                ""})
        void toStringParsesBackToTheSameSet(String text) {
            MySqlGtidSet set = my(text);

            assertThat(set).hasToString(text);
            assertThat(my(set.toString())).isEqualTo(set);
        }

        @Test
        void subtractCutsIntervalsApart() {
            MySqlGtidSet replica = my(U1 + ":1-100," + U2 + ":1-10");
            MySqlGtidSet master = my(U1 + ":20-30:50," + U2 + ":1-10");

            assertThat(replica.subtract(master)).hasToString(U1 + ":1-19:31-49:51-100");
        }

        @Test
        void subtractingASupersetLeavesNothingAndADisjointSetLeavesAll() {
            assertThat(my(U1 + ":5-10").subtract(my(U1 + ":1-20")).isEmpty()).isTrue();
            assertThat(my(U1 + ":5-10").subtract(my(U2 + ":5-10"))).isEqualTo(my(U1 + ":5-10"));
            assertThat(my(U1 + ":5-10").subtract(my(U1 + ":11-20"))).isEqualTo(my(U1 + ":5-10"));
            assertThat(my(U1 + ":5-10").subtract(MySqlGtidSet.empty())).isEqualTo(my(U1 + ":5-10"));
        }

        @Test
        void subtractLeavesBothSetsUnchanged() {
            MySqlGtidSet a = my(U1 + ":1-100");
            MySqlGtidSet b = my(U1 + ":40-60");

            a.subtract(b);

            assertThat(a).hasToString(U1 + ":1-100");
            assertThat(b).hasToString(U1 + ":40-60");
        }

        @Test
        void errantTransactionsOfAReplicaAreWhatTheMasterLacks() {
            MySqlGtidSet replica = my(U1 + ":1-1040," + U2 + ":1-2");
            MySqlGtidSet master = my(U1 + ":1-1042");

            assertThat(replica.subtract(master)).hasToString(U2 + ":1-2");
            assertThat(master.contains(replica)).isFalse();
        }

        @Test
        void containsIsTrueOnlyWhenEveryTransactionIsIn() {
            MySqlGtidSet master = my(U1 + ":1-100," + U2 + ":1-5");

            assertThat(master.contains(my(U1 + ":5-10"))).isTrue();
            assertThat(master.contains(my(U1 + ":1-100," + U2 + ":5"))).isTrue();
            assertThat(master.contains(my(U1 + ":100-101"))).isFalse();
            assertThat(master.contains(my(U2 + ":6"))).isFalse();
            assertThat(master.contains(MySqlGtidSet.empty())).isTrue();
            assertThat(MySqlGtidSet.empty().contains(MySqlGtidSet.empty())).isTrue();
            assertThat(MySqlGtidSet.empty().contains(master)).isFalse();
        }

        @Test
        void countAddsUpEveryInterval() {
            assertThat(my(U1 + ":1-100:200," + U2 + ":1-3:etl:1-2").count()).isEqualTo(106);
            assertThat(MySqlGtidSet.empty().count()).isZero();
        }

        @Test
        void aBadUuidIsRefusedNamingIt() {
            assertThatThrownBy(() -> my("not-a-uuid:1-5"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a GTID set: 'not-a-uuid:1-5' (bad UUID 'not-a-uuid')");
        }

        @ParameterizedTest
        @ValueSource(strings = {":0", ":5-3", ":0-4"})
        void intervalsMustStartAtOneAndNotRunBackwards(String interval) {
            assertThatThrownBy(() -> my(U1 + interval))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad interval " + interval.substring(1));
        }

        @ParameterizedTest
        @ValueSource(strings = {":1-2-3", ":-5", ":1-", ":a-b", ":9tag", ":a234567890123456789012345678901234"})
        void tokensThatAreNeitherIntervalNorTagAreRefused(String token) {
            assertThatThrownBy(() -> my(U1 + token))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bad token '" + token.substring(1) + "'");
        }

        @Test
        void comparingWithAMariaDbListIsRefused() {
            assertThatThrownBy(() -> my(U1 + ":1").subtract(maria("0-1-5")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot compare a MySQL GTID set with MariaDbGtidSet");
            assertThatThrownBy(() -> my(U1 + ":1").contains(maria("0-1-5")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class MariaDb {

        /**
         * A master-master peer's own writes come back through its source and advance its gtid_slave_pos;
         * a replica's local write never does, and a higher sequence number of another server does not hide it.
         */
        @Test
        void subtractFromOriginTakesOnlyTheSameServersTransactions() {
            MariaDbGtidSet own = maria("0-1-5");

            assertThat(own.subtractFromOrigin(maria("0-1-5"))).isEqualTo(MariaDbGtidSet.empty());
            assertThat(own.subtractFromOrigin(maria("0-1-3"))).hasToString("0-1-5");
            assertThat(own.subtractFromOrigin(maria("0-2-9"))).hasToString("0-1-5");
            assertThat(own.subtract(maria("0-2-9"))).as("subtract reads a higher number as covering").isEqualTo(MariaDbGtidSet.empty());
        }

        @Test
        void parsesDomainServerSequenceAndSortsByDomainThenServer() {
            MariaDbGtidSet set = maria("1-2-5, 0-3-7,\n0-1-100");

            assertThat(set.gtids()).containsExactly(new Gtid.MariaDb(0, 1, 100), new Gtid.MariaDb(0, 3, 7),
                    new Gtid.MariaDb(1, 2, 5));
            assertThat(set).hasToString("0-1-100,0-3-7,1-2-5");
        }

        @Test
        void keepsTheHighestSequencePerDomainAndServer() {
            assertThat(maria("0-1-90,0-1-100,0-1-95")).hasToString("0-1-100");
        }

        @Test
        void emptyAndNullAreTheEmptyList() {
            assertThat(maria("").isEmpty()).isTrue();
            assertThat(maria(null).isEmpty()).isTrue();
            assertThat(MariaDbGtidSet.empty()).isEqualTo(maria("")).hasToString("");
        }

        @Test
        void toStringParsesBackToTheSameList() {
            MariaDbGtidSet set = maria("0-1-100,0-2-101,1-1-7,4294967295-4294967295-18446744073709551615");

            assertThat(maria(set.toString())).isEqualTo(set).hasSameHashCodeAs(set);
        }

        @Test
        void sequenceNumbersAreUnsigned64Bit() {
            MariaDbGtidSet high = maria("0-1-18446744073709551615");

            assertThat(high).hasToString("0-1-18446744073709551615");
            assertThat(high.contains(maria("0-1-9223372036854775808"))).isTrue();
            assertThat(maria("0-1-9223372036854775808").contains(high)).isFalse();
            assertThat(maria("0-2-18446744073709551615").contains(maria("0-1-5"))).isTrue();
            assertThat(maria("0-1-5,0-2-18446744073709551615").position()).hasToString("0-2-18446744073709551615");
            assertThat(high.lastSequence(0)).as("the bits of 2^64-1").isEqualTo(-1L);
        }

        @Test
        void positionKeepsOneGtidPerDomainTheHighest() {
            assertThat(maria("0-1-100,0-2-101,0-3-99,1-1-7").position()).hasToString("0-2-101,1-1-7");
            assertThat(maria("0-1-100").position()).hasToString("0-1-100");
            assertThat(MariaDbGtidSet.empty().position().isEmpty()).isTrue();
        }

        @Test
        void lastSequenceIsTheHighestInTheDomainOrZero() {
            MariaDbGtidSet set = maria("0-1-100,0-2-101,1-1-7");

            assertThat(set.lastSequence(0)).isEqualTo(101);
            assertThat(set.lastSequence(1)).isEqualTo(7);
            assertThat(set.lastSequence(2)).isZero();
        }

        @Test
        void sameDomainAndServerIsComparedBySequence() {
            MariaDbGtidSet master = maria("0-1-100");

            assertThat(master.contains(maria("0-1-99"))).isTrue();
            assertThat(master.contains(maria("0-1-100"))).isTrue();
            assertThat(master.contains(maria("0-1-101"))).isFalse();
        }

        @Test
        void sameDomainAndServerDecidesEvenWhenTheDomainHasMovedOn() {
            MariaDbGtidSet master = maria("0-1-100,0-2-200");

            assertThat(master.contains(maria("0-1-150"))).isFalse();
        }

        @Test
        void aServerTheListNeverSawIsCoveredOnlyByAHigherSequenceInTheDomain() {
            MariaDbGtidSet master = maria("0-1-100");

            assertThat(master.contains(maria("0-2-50"))).isTrue();
            assertThat(master.contains(maria("0-2-101"))).isFalse();
        }

        @Test
        void theSameSequenceFromAnotherServerIsADifferentTransaction() {
            // two servers that both wrote 0-x-100 diverged: neither has the other's transaction
            MariaDbGtidSet master = maria("0-1-100");
            MariaDbGtidSet replica = maria("0-2-100");

            assertThat(master.contains(replica)).isFalse();
            assertThat(replica.subtract(master)).hasToString("0-2-100");
        }

        @Test
        void anotherDomainIsNeverCovered() {
            assertThat(maria("0-1-100").contains(maria("1-1-5"))).isFalse();
            assertThat(maria("0-1-100,1-1-5").contains(maria("1-1-5"))).isTrue();
        }

        @Test
        void aReplicaWithItsOwnWritesHasErrantTransactions() {
            MariaDbGtidSet replica = maria("0-1-100,0-2-101");
            MariaDbGtidSet master = maria("0-1-100");

            assertThat(replica.subtract(master)).hasToString("0-2-101");
        }

        @Test
        void aLaggingReplicaHasNoErrantTransactionsButMissesSome() {
            MariaDbGtidSet replica = maria("0-1-90");
            MariaDbGtidSet master = maria("0-1-100");

            assertThat(replica.subtract(master).isEmpty()).isTrue();
            assertThat(master.contains(replica)).isTrue();
            assertThat(replica.contains(master)).isFalse();
            assertThat(master.subtract(replica)).hasToString("0-1-100");
        }

        @Test
        void aReplicaThatSawAFormerMasterIsNotErrantOnceTheDomainMovedPast() {
            // the binlog state of a replica still names server 3, a master of long ago
            MariaDbGtidSet replica = maria("0-1-100,0-3-40");
            MariaDbGtidSet master = maria("0-1-100");

            assertThat(replica.subtract(master).isEmpty()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"0-1", "0-1-2-3", "a-b-c", "0-1-x", "-1-2", "0--1-2", "0-1-5 0-2-6"})
        void malformedGtidsAreRefusedNamingThem(String text) {
            assertThatThrownBy(() -> maria(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a MariaDB GTID list: '" + text + "' (bad GTID '");
        }

        @Test
        void comparingWithAMySqlSetIsRefused() {
            assertThatThrownBy(() -> maria("0-1-5").subtract(my(U1 + ":1")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot compare a MariaDB GTID list with MySqlGtidSet");
            assertThatThrownBy(() -> maria("0-1-5").contains(my(U1 + ":1")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** What the node agent asks of one GTID read from a binlog event, and of the sets given on its command line. */
    @Nested
    class OneGtid {

        private final java.util.UUID source = java.util.UUID.fromString(U1);

        @Test
        void eitherNotationIsParsedByItsLookAndEmptyIsTheEmptySet() {
            assertThat(GtidSet.parse("0-1-1003, 1-2-7")).isInstanceOf(MariaDbGtidSet.class).hasToString("0-1-1003,1-2-7");
            assertThat(GtidSet.parse(U1 + ":1-3:4-6")).isInstanceOf(MySqlGtidSet.class).hasToString(U1 + ":1-6");
            assertThat(GtidSet.parse("").isEmpty()).isTrue();
            assertThat(GtidSet.parse(null).isEmpty()).isTrue();
        }

        @Test
        void textInNeitherNotationIsRejectedNamingThePart() {
            assertThatThrownBy(() -> GtidSet.parse("0-1-x")).hasMessageContaining("0-1-x");
            assertThatThrownBy(() -> GtidSet.parse("0-1-5,abc")).hasMessageContaining("abc");
            assertThatThrownBy(() -> GtidSet.parse(U1 + ":5-3")).hasMessageContaining("5-3");
        }

        @Test
        void aMariaDbPositionHoldsEverySequenceUpToItsOwnPerDomain() {
            GtidSet set = GtidSet.parse("0-1-1003,1-2-7");
            assertThat(set.contains(new Gtid.MariaDb(0, 1, 1003))).isTrue();
            assertThat(set.contains(new Gtid.MariaDb(0, 3, 900))).isTrue();
            assertThat(set.contains(new Gtid.MariaDb(0, 1, 1004))).isFalse();
            assertThat(set.contains(new Gtid.MariaDb(2, 1, 1))).isFalse();
            assertThat(set.contains(GtidSet.parse("0-1-1000,1-2-7"))).isTrue();
            assertThat(set.contains(GtidSet.parse("0-1-1000,3-2-1"))).isFalse();
        }

        @Test
        void fromItsOriginAMariaDbBinlogStateIsReadPerDomainAndServer() {
            // the target wrote 0-2-9 itself: that must not hide server 3's 0-3-1, nor server 1's 0-1-6
            GtidSet state = GtidSet.parse("0-1-5,0-2-9");
            assertThat(state.containsFromOrigin(new Gtid.MariaDb(0, 1, 5))).isTrue();
            assertThat(state.containsFromOrigin(new Gtid.MariaDb(0, 1, 4))).isTrue();
            assertThat(state.containsFromOrigin(new Gtid.MariaDb(0, 1, 6))).isFalse();
            assertThat(state.containsFromOrigin(new Gtid.MariaDb(0, 2, 9))).isTrue();
            assertThat(state.containsFromOrigin(new Gtid.MariaDb(0, 3, 1))).isFalse();
            assertThat(state.containsFromOrigin(new Gtid.MariaDb(1, 1, 1))).isFalse();
            // read as a list, a higher sequence of the domain covers a server it never saw
            assertThat(state.contains(new Gtid.MariaDb(0, 3, 1))).isTrue();
        }

        @Test
        void fromItsOriginUnsignedSequencesCompareUnsigned() {
            GtidSet state = GtidSet.parse("0-1-18446744073709551615");
            assertThat(state.containsFromOrigin(new Gtid.MariaDb(0, 1, Long.MAX_VALUE))).isTrue();
            assertThat(state.containsFromOrigin(new Gtid.MariaDb(0, 1, -1L))).isTrue();
            assertThat(GtidSet.parse("0-1-5").containsFromOrigin(new Gtid.MariaDb(0, 1, -1L))).isFalse();
        }

        @Test
        void aMySqlSetHoldsItsIntervalsPerSourceAndTag() {
            GtidSet set = GtidSet.parse(U1 + ":1-5:7," + U1 + ":tag1:1-2");
            assertThat(set.contains(new Gtid.MySql(source, null, 5))).isTrue();
            assertThat(set.contains(new Gtid.MySql(source, null, 6))).isFalse();
            assertThat(set.contains(new Gtid.MySql(source, null, 7))).isTrue();
            assertThat(set.contains(new Gtid.MySql(source, "tag1", 2))).isTrue();
            assertThat(set.contains(new Gtid.MySql(source, "TAG1", 2))).isTrue();
            assertThat(set.contains(new Gtid.MySql(source, "tag1", 3))).isFalse();
            assertThat(set.contains(new Gtid.MySql(source, "tag2", 1))).isFalse();
            assertThat(set.contains(new Gtid.MySql(java.util.UUID.fromString(U2), null, 1))).isFalse();
            assertThat(set.contains(GtidSet.parse(U1 + ":2-4"))).isTrue();
            assertThat(set.contains(GtidSet.parse(U1 + ":4-6"))).isFalse();
        }

        @Test
        void fromItsOriginAMySqlGtidIsJudgedByItsUuidAndTagAlone() {
            GtidSet set = GtidSet.parse(U1 + ":1-5," + U1 + ":tag1:9");
            for (Gtid g : List.<Gtid>of(new Gtid.MySql(source, null, 3), new Gtid.MySql(source, null, 6),
                    new Gtid.MySql(source, "tag1", 9), new Gtid.MySql(source, "tag1", 3))) {
                assertThat(set.containsFromOrigin(g)).as(g.toString()).isEqualTo(set.contains(g));
            }
        }

        @Test
        void anEmptySetHoldsNothingOfEitherNotation() {
            GtidSet empty = GtidSet.parse("");
            assertThat(empty.contains(new Gtid.MariaDb(0, 1, 1))).isFalse();
            assertThat(empty.containsFromOrigin(new Gtid.MySql(source, null, 1))).isFalse();
            assertThat(MySqlGtidSet.empty().containsFromOrigin(new Gtid.MariaDb(0, 1, 1))).isFalse();
            assertThat(empty.contains(GtidSet.parse(""))).isTrue();
            assertThat(empty.contains(my(U1 + ":1"))).isFalse();
            assertThat(my(U1 + ":1").contains(MariaDbGtidSet.empty())).isTrue();
        }

        @Test
        void aGtidOfTheOtherNotationIsRefusedByANonEmptySet() {
            assertThatThrownBy(() -> GtidSet.parse("0-1-5").contains(new Gtid.MySql(source, null, 1))).hasMessageContaining("MySQL");
            assertThatThrownBy(() -> GtidSet.parse(U1 + ":1").containsFromOrigin(new Gtid.MariaDb(0, 1, 1))).hasMessageContaining("MariaDB");
        }

        @Test
        void aBuilderJoinsGtidsIntoIntervalsAndLeavesAnonymousOnesOut() {
            MySqlGtidSet set = new MySqlGtidSet.Builder()
                    .add(new Gtid.MySql(source, null, 2)).add(new Gtid.MySql(source, null, 1)).add(new Gtid.MySql(source, null, 3))
                    .add(new Gtid.MySql(source, null, 0)).add(new Gtid.MySql(source, "Tag1", 7)).add(source, null, 5, 6)
                    .build();
            assertThat(set).hasToString(U1 + ":1-3:5-6:tag1:7");
        }

        @Test
        void aBinlogStateKeepsTheLastGtidPerDomainAndServer() {
            MariaDbGtidSet state = MariaDbGtidSet.of(List.of(new Gtid.MariaDb(0, 1, 5), new Gtid.MariaDb(0, 2, 9), new Gtid.MariaDb(0, 1, 3)));
            assertThat(state).hasToString("0-1-5,0-2-9");
        }

        @Test
        void aGtidPrintsInItsServersNotation() {
            assertThat(new Gtid.MariaDb(0, 1, -1L)).hasToString("0-1-18446744073709551615");
            assertThat(new Gtid.MySql(source, null, 5)).hasToString(U1 + ":5");
            assertThat(new Gtid.MySql(source, "Tag1", 5)).hasToString(U1 + ":tag1:5");
            assertThat(new Gtid.MySql(source, "", 0).anonymous()).isTrue();
        }
    }

    @Nested
    class Coordinates {

        @Test
        void fileNumbersCompareNumericallyNotAsText() {
            BinlogCoordinates before = new BinlogCoordinates("mysql-bin.999999", 9_000_000);
            BinlogCoordinates after = new BinlogCoordinates("mysql-bin.1000000", 4);

            assertThat(before).isLessThan(after);
            assertThat(after).isGreaterThan(before);
        }

        @Test
        void positionsCompareWithinOneFile() {
            assertThat(new BinlogCoordinates("mysql-bin.000012", 4011))
                    .isLessThan(new BinlogCoordinates("mysql-bin.000012", 4231))
                    .isEqualByComparingTo(new BinlogCoordinates("mysql-bin.000012", 4011));
        }

        @Test
        void aLaterFileIsAheadWhateverThePosition() {
            assertThat(new BinlogCoordinates("mysql-bin.000098", 104_857_600))
                    .isLessThan(new BinlogCoordinates("mysql-bin.000099", 4));
        }

        @Test
        void sortingOrdersASequenceThatGrewADigit() {
            List<BinlogCoordinates> list = new ArrayList<>(List.of(
                    new BinlogCoordinates("mysql-bin.1000001", 4),
                    new BinlogCoordinates("mysql-bin.999999", 120),
                    new BinlogCoordinates("mysql-bin.1000000", 500),
                    new BinlogCoordinates("mysql-bin.999999", 4)));
            Collections.sort(list);

            assertThat(list).extracting(BinlogCoordinates::toString).containsExactly(
                    "mysql-bin.999999:4", "mysql-bin.999999:120", "mysql-bin.1000000:500", "mysql-bin.1000001:4");
        }

        @Test
        void printsAsFileColonPosition() {
            assertThat(new BinlogCoordinates("mysql-bin.000042", 1234)).hasToString("mysql-bin.000042:1234");
        }
    }

    @Nested
    class Versions {

        @ParameterizedTest
        @CsvSource({
                "10.11.19-MariaDB-0+deb12u1-log, true,  10, 11, 19",
                "5.5.5-10.6.12-MariaDB,          true,  10, 6,  12",
                "11.4.5-MariaDB,                 true,  11, 4,  5",
                "8.4.3,                          false, 8,  4,  3",
                "8.0.36-28,                      false, 8,  0,  36",
                "5.7.44-log,                     false, 5,  7,  44",
                "9.1.0-commercial,               false, 9,  1,  0"})
        void parsesFamilyAndNumbers(String text, boolean mariaDb, int major, int minor, int patch) {
            ServerVersion v = ServerVersion.parse(text);

            assertThat(v).isEqualTo(new ServerVersion(text, mariaDb, major, minor, patch));
            assertThat(v).hasToString(text);
        }

        @Test
        void comparesNumericallyPartByPart() {
            assertThat(ServerVersion.parse("8.0.9")).isLessThan(ServerVersion.parse("8.0.10"));
            assertThat(ServerVersion.parse("8.0.36")).isLessThan(ServerVersion.parse("8.4.0"));
            assertThat(ServerVersion.parse("8.4.3")).isLessThan(ServerVersion.parse("9.0.0"));
        }

        @Test
        void atLeastIncludesTheVersionItself() {
            ServerVersion v = ServerVersion.parse("8.0.22");

            assertThat(v.atLeast(8, 0, 22)).isTrue();
            assertThat(v.atLeast(8, 0, 21)).isTrue();
            assertThat(v.atLeast(8, 0, 23)).isFalse();
            assertThat(v.atLeast(5, 7, 99)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"garbage", "8.4", "", "MariaDB"})
        void textWithoutThreeNumbersIsNoVersion(String text) {
            assertThatThrownBy(() -> ServerVersion.parse(text))
                    .isInstanceOf(UnsupportedServerException.class)
                    .hasMessage("not a MySQL or MariaDB version: '" + text + "'");
        }
    }
}
