package dev.aperture.core.pytorch;

import dev.aperture.core.FormatException;
import dev.aperture.core.ResourceLimitException;
import dev.aperture.core.checkpoint.CheckpointLimits;
import dev.aperture.core.tensor.DType;
import dev.aperture.testkit.TorchZipWriter.PickleBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weights-only pickle interpreter on hand-made pickles: what it builds, and everything it refuses. */
class WeightsOnlyUnpicklerTest {
    private static final String WHERE = "test.bin: data.pkl";

    /** Resolves every persistent id as a zip checkpoint's storage. */
    private static final WeightsOnlyUnpickler.StorageResolver STORAGES = (id, where) -> PersistentIds.storage(id, 5,
            where);

    private static Object unpickle(byte[] pickle) {
        return unpickle(pickle, CheckpointLimits.DEFAULT);
    }

    private static Object unpickle(byte[] pickle, CheckpointLimits limits) {
        return WeightsOnlyUnpickler.read(MemorySegment.ofArray(pickle), 0, WHERE, limits, STORAGES).value();
    }

    private static void assertRefused(byte[] pickle, String... fragments) {
        FormatException e = assertThrows(FormatException.class, () -> unpickle(pickle));
        assertTrue(e.getMessage().startsWith(WHERE), "message should name the file: " + e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "message should contain '" + fragment + "': "
                    + e.getMessage());
        }
    }

    /** {@code OrderedDict()} as torch pickles it. */
    private static PickleBuilder orderedDict(PickleBuilder pickle) {
        return pickle.global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /** A persistent id for a FloatStorage of {@code count} elements under {@code key}. */
    private static PickleBuilder floatStorage(PickleBuilder pickle, String key, long count) {
        return pickle.mark().unicode("storage").global("torch", "FloatStorage").unicode(key).unicode("cpu")
                .integer(count).tuple().persistentId();
    }

    @Test
    void readsAStateDictOfRebuiltTensors() {
        PickleBuilder pickle = orderedDict(new PickleBuilder().proto(2)).mark().unicode("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark();
        floatStorage(pickle, "0", 6).integer(1).tuple(2, 2).tuple(3, 1).bool(false);
        orderedDict(pickle).tuple().reduce().setItems().stop();

        Map<?, ?> stateDict = assertInstanceOf(LinkedHashMap.class, unpickle(pickle.toByteArray()));
        RebuiltTensor w = assertInstanceOf(RebuiltTensor.class, stateDict.get("w"));
        assertEquals(new StorageRef("0", DType.F32, 6), w.storage());
        assertEquals(1, w.storageOffset());
        assertArrayEquals(new long[] {2, 2}, w.shape());
        assertArrayEquals(new long[] {3, 1}, w.strides());
    }

    @Test
    void aParameterIsItsTensor() {
        PickleBuilder pickle = new PickleBuilder().proto(2).global("torch._utils", "_rebuild_parameter").mark()
                .global("torch._utils", "_rebuild_tensor_v2").mark();
        floatStorage(pickle, "0", 1).integer(0).emptyTuple().emptyTuple().bool(false);
        orderedDict(pickle).tuple().reduce().bool(true);
        orderedDict(pickle).tuple().reduce().stop();
        assertInstanceOf(RebuiltTensor.class, unpickle(pickle.toByteArray()));
    }

    @Test
    void buildSetsAStateDictsMetadataAndKeepsItsEntries() {
        // A state_dict() is an OrderedDict with a _metadata attribute: pickle restores it with BUILD.
        PickleBuilder pickle = orderedDict(new PickleBuilder().proto(2)).mark().unicode("a").integer(1).setItems()
                .op('}').mark().unicode("_metadata").op('}').setItems().op('b').stop();
        Map<?, ?> dict = assertInstanceOf(LinkedHashMap.class, unpickle(pickle.toByteArray()));
        assertEquals(Map.of("a", 1L), dict);
    }

    @Test
    void memoizedValuesAreSharedNotCopied() {
        byte[] pickle = new PickleBuilder().proto(2).op(']').op('q').op(0).op('h').op(0).op('a').stop().toByteArray();
        List<?> list = assertInstanceOf(ArrayList.class, unpickle(pickle));
        assertSame(list, list.getFirst(), "a list appended to itself through the memo");
    }

    @Test
    void readsEveryScalarTheSubsetHas() {
        byte[] pickle = new PickleBuilder().proto(2).mark().integer(255).integer(65535).integer(-5)
                .raw((byte) 0x8a, (byte) 9, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0,
                        (byte) 0, (byte) 1)
                .op('G').raw((byte) 0x3f, (byte) 0xf8, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0)
                .op('N').bool(true).op('U').op(2).raw((byte) 'h', (byte) 'i').tuple().stop().toByteArray();
        PyTuple values = assertInstanceOf(PyTuple.class, unpickle(pickle));
        assertEquals(List.of(255L, 65535L, -5L, BigInteger.ONE.shiftLeft(64), 1.5, PyNone.NONE, true, "hi"),
                values.items());
    }

    @Test
    void refusesAnImportOutsideTheAllowList() {
        byte[] pickle = new PickleBuilder().proto(2).global("posix", "system").unicode("true").op(0x85).reduce()
                .stop().toByteArray();
        assertRefused(pickle, "posix.system", "not allowed", "byte 2");
    }

    @Test
    void namesAPythonTwoBuiltinAsPythonThreeDoes() {
        byte[] pickle = new PickleBuilder().proto(2).global("__builtin__", "eval").stop().toByteArray();
        assertRefused(pickle, "builtins.eval", "not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"torch.load", "torch.nn.Module", "collections.Counter", "torch.Tensor", "builtins.getattr",
            "numpy.core.multiarray._reconstruct", "torch._utils._rebuild_qtensor"})
    void refusesEveryOtherGlobal(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        byte[] pickle = new PickleBuilder().proto(2).global(qualifiedName.substring(0, dot),
                qualifiedName.substring(dot + 1)).stop().toByteArray();
        assertRefused(pickle, qualifiedName, "not allowed");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x93, 'i', 'o', 0x92, 'P', '0', '2', 0x95, 0x94, 0x8c, 'B', 'C', 'S', 'I', 'L', 0x90, 0x82})
    void refusesOpcodesOutsideTheWeightsOnlySubset(int opcode) {
        byte[] pickle = new PickleBuilder().proto(4).op(opcode).stop().toByteArray();
        assertRefused(pickle, PickleOpcode.of(opcode).name(), "not allowed");
    }

    @Test
    void refusesAByteThatIsNoOpcode() {
        assertRefused(new PickleBuilder().op(0xff).toByteArray(), "0xff", "not a pickle opcode");
    }

    @Test
    void refusesCallingAStorageClass() {
        byte[] pickle = new PickleBuilder().proto(2).global("torch", "FloatStorage").emptyTuple().reduce().stop()
                .toByteArray();
        assertRefused(pickle, "torch.FloatStorage", "not callable");
    }

    @Test
    void refusesAPersistentIdThatIsNotAStorage() {
        byte[] pickle = new PickleBuilder().proto(2).mark().unicode("module").unicode("x").tuple().persistentId()
                .stop().toByteArray();
        assertRefused(pickle, "persistent id", "storage");
    }

    @Test
    void refusesBuildOnAnythingButADict() {
        byte[] pickle = new PickleBuilder().proto(2).op(']').op('}').op('b').stop().toByteArray();
        assertRefused(pickle, "BUILD", "a list");
    }

    @Test
    void refusesAContainerAsADictKey() {
        // Python refuses unhashable keys; hashing a (possibly self-containing) list could also never end.
        byte[] pickle = new PickleBuilder().proto(2).op('}').op(']').integer(1).op('s').stop().toByteArray();
        assertRefused(pickle, "dict key", "a list");
    }

    @Test
    void refusesAnUnstoredMemoEntry() {
        assertRefused(new PickleBuilder().proto(2).op('h').op(3).stop().toByteArray(), "memo entry 3");
    }

    @Test
    void refusesAPickleWithoutStop() {
        assertRefused(new PickleBuilder().proto(2).op('}').toByteArray(), "truncated");
    }

    @Test
    void refusesAStackUnderflow() {
        assertRefused(new PickleBuilder().proto(2).op('a').toByteArray(), "APPEND", "no value");
    }

    @Test
    void refusesAStringLongerThanWhatFollows() {
        byte[] pickle = new PickleBuilder().proto(2).op('X').raw((byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff)
                .raw(new byte[10]).toByteArray();
        assertRefused(pickle, "4294967280 bytes", "truncated");
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] pickle = new PickleBuilder().proto(2).op('X').raw((byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 0xff)
                .stop().toByteArray();
        assertRefused(pickle, "UTF-8");
    }

    @Test
    void nestingDeeperThanTheLimitIsAResourceLimit() {
        PickleBuilder pickle = new PickleBuilder().proto(2);
        for (int i = 0; i < 11; i++) {
            pickle.mark();
        }
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> unpickle(pickle.toByteArray(), CheckpointLimits.DEFAULT.withMaxPickleDepth(10)));
        assertTrue(e.getMessage().contains("maxPickleDepth"), e.getMessage());
    }

    @Test
    void valuesBeyondTheLimitAreAResourceLimit() {
        PickleBuilder pickle = new PickleBuilder().proto(2).op(']');
        for (int i = 0; i < 100; i++) {
            pickle.integer(i).op('a');
        }
        byte[] bytes = pickle.stop().toByteArray();
        assertEquals(100, ((List<?>) unpickle(bytes, CheckpointLimits.DEFAULT.withMaxPickleValues(101))).size());
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> unpickle(bytes, CheckpointLimits.DEFAULT.withMaxPickleValues(100)));
        assertTrue(e.getMessage().contains("maxPickleValues"), e.getMessage());
    }

    @Test
    void memoEntriesBeyondTheLimitAreAResourceLimit() {
        byte[] pickle = new PickleBuilder().proto(2).op('N').op('q').op(0).op('q').op(1).op('q').op(2).stop()
                .toByteArray();
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> unpickle(pickle, CheckpointLimits.DEFAULT.withMaxMemoEntries(2)));
        assertTrue(e.getMessage().contains("maxMemoEntries"), e.getMessage());
    }

    @Test
    void aStringLongerThanTheLimitIsAResourceLimitBeforeItIsRead() {
        byte[] pickle = new PickleBuilder().proto(2).unicode("x".repeat(100)).stop().toByteArray();
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> unpickle(pickle, CheckpointLimits.DEFAULT.withMaxStringBytes(99)));
        assertTrue(e.getMessage().contains("maxStringBytes"), e.getMessage());
    }

    @Test
    void aPickleLongerThanTheLimitIsAResourceLimit() {
        PickleBuilder pickle = new PickleBuilder().proto(2).op(']');
        for (int i = 0; i < 100; i++) {
            pickle.op('N').op('a');
        }
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> unpickle(pickle.stop().toByteArray(), CheckpointLimits.DEFAULT.withMaxPickleBytes(64)));
        assertTrue(e.getMessage().contains("maxPickleBytes"), e.getMessage());
    }
}
