package dev.aperture.models.tokenizer.sentencepiece;

import dev.aperture.core.FormatException;
import dev.aperture.core.InputException;
import dev.aperture.models.protobuf.ProtoReader;
import dev.aperture.models.tokenizer.json.TokenizerPipeline;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece model file (spiece.model, a protobuf {@code ModelProto}), the parts that encoding reads: the
 * pieces with their scores and types, the trainer's model type and byte_fallback, and the normalizer spec.
 *
 * @param pieces       piece text by id
 * @param scores       piece score by id (log probability for unigram; for BPE, higher merges first)
 * @param types        piece type by id
 * @param algorithm    the segmentation algorithm the model was trained for
 * @param byteFallback whether unknown text becomes byte pieces {@code <0xNN>} instead of the unknown piece
 * @param unkId        id of the one UNKNOWN piece
 * @param normalizer   the normalizer spec
 * @param source       the file, for messages
 */
record SentencePieceModel(String[] pieces, float[] scores, PieceType[] types, Algorithm algorithm,
                          boolean byteFallback, int unkId, NormalizerSpec normalizer, String source) {

    /** The largest spiece.model read: real ones are a few megabytes, and the file is read into memory whole. */
    static final long MAX_FILE_BYTES = 256L << 20;

    /** A piece's type, as sentencepiece_model.proto numbers them. */
    enum PieceType {
        NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

        static PieceType of(long number) {
            return switch ((int) number) {
                case 1 -> NORMAL;
                case 2 -> UNKNOWN;
                case 3 -> CONTROL;
                case 4 -> USER_DEFINED;
                case 5 -> UNUSED;
                case 6 -> BYTE;
                default -> null;
            };
        }

        /** Whether text can be segmented into this piece (sentencepiece's pieces_ map, as opposed to reserved ids). */
        boolean matchesText() {
            return this == NORMAL || this == USER_DEFINED || this == UNUSED;
        }
    }

    /** TrainerSpec.model_type; WORD and CHAR models are not supported. */
    enum Algorithm { UNIGRAM, BPE }

    /**
     * NormalizerSpec.
     *
     * @param precompiledCharsMap   the compiled normalization rules (empty: none)
     * @param addDummyPrefix        prepend a space (so the first word is like every other)
     * @param removeExtraWhitespaces drop leading and trailing spaces and collapse runs of them
     * @param escapeWhitespaces     write spaces as U+2581
     */
    record NormalizerSpec(byte[] precompiledCharsMap, boolean addDummyPrefix, boolean removeExtraWhitespaces,
                          boolean escapeWhitespaces) {
        NormalizerSpec withoutDummyPrefix() {
            return new NormalizerSpec(precompiledCharsMap, false, removeExtraWhitespaces, escapeWhitespaces);
        }
    }

    // Field numbers of sentencepiece_model.proto.
    private static final int MODEL_PIECES = 1;
    private static final int MODEL_TRAINER_SPEC = 2;
    private static final int MODEL_NORMALIZER_SPEC = 3;
    private static final int PIECE_TEXT = 1;
    private static final int PIECE_SCORE = 2;
    private static final int PIECE_TYPE = 3;
    private static final int TRAINER_MODEL_TYPE = 3;
    private static final int TRAINER_TREAT_WHITESPACE_AS_SUFFIX = 24;
    private static final int TRAINER_BYTE_FALLBACK = 35;
    private static final int NORMALIZER_CHARSMAP = 2;
    private static final int NORMALIZER_ADD_DUMMY_PREFIX = 3;
    private static final int NORMALIZER_REMOVE_EXTRA_WHITESPACES = 4;
    private static final int NORMALIZER_ESCAPE_WHITESPACES = 5;

    /**
     * Reads spiece.model.
     *
     * @throws InputException  when the file cannot be read
     * @throws FormatException when it is not a well-formed SentencePiece model this reader supports
     */
    static SentencePieceModel read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new FormatException(file + ": " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a SentencePiece model may have");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException("missing file " + file, e);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the bytes of a spiece.model; {@code source} names it in messages. */
    static SentencePieceModel parse(byte[] bytes, String source) {
        ProtoReader model = new ProtoReader(MemorySegment.ofArray(bytes), "SentencePiece model " + source);
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<PieceType> types = new ArrayList<>();
        Algorithm algorithm = Algorithm.UNIGRAM;
        boolean byteFallback = false;
        NormalizerSpec normalizer = new NormalizerSpec(new byte[0], true, true, true);
        while (model.hasMore()) {
            int tag = model.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case MODEL_PIECES -> {
                    if (pieces.size() > TokenizerPipeline.MAX_TOKEN_ID) {
                        throw model.malformed("more than " + (TokenizerPipeline.MAX_TOKEN_ID + 1) + " pieces");
                    }
                    readPiece(message(model, tag, "ModelProto.pieces"), pieces, scores, types);
                }
                case MODEL_TRAINER_SPEC -> {
                    ProtoReader trainer = message(model, tag, "ModelProto.trainer_spec");
                    while (trainer.hasMore()) {
                        int field = trainer.readTag();
                        switch (ProtoReader.fieldNumber(field)) {
                            case TRAINER_MODEL_TYPE -> algorithm = algorithm(varint(trainer, field), source);
                            case TRAINER_BYTE_FALLBACK -> byteFallback = varint(trainer, field) != 0;
                            case TRAINER_TREAT_WHITESPACE_AS_SUFFIX -> {
                                if (varint(trainer, field) != 0) {
                                    throw new FormatException(source + ": trainer_spec.treat_whitespace_as_suffix"
                                            + " is set; not supported");
                                }
                            }
                            default -> trainer.skip(ProtoReader.wireType(field));
                        }
                    }
                }
                case MODEL_NORMALIZER_SPEC -> normalizer = readNormalizer(message(model, tag,
                        "ModelProto.normalizer_spec"));
                default -> model.skip(ProtoReader.wireType(tag));
            }
        }
        float[] scoreArray = new float[scores.size()];
        for (int i = 0; i < scoreArray.length; i++) {
            scoreArray[i] = scores.get(i);
        }
        PieceType[] typeArray = types.toArray(PieceType[]::new);
        return new SentencePieceModel(pieces.toArray(String[]::new), scoreArray, typeArray, algorithm, byteFallback,
                unknownId(typeArray, source), normalizer, source);
    }

    private static void readPiece(ProtoReader piece, List<String> pieces, List<Float> scores, List<PieceType> types) {
        String text = null;
        float score = 0f;
        PieceType type = PieceType.NORMAL;
        while (piece.hasMore()) {
            int tag = piece.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case PIECE_TEXT -> text = requireWireType(piece, tag, ProtoReader.LENGTH_DELIMITED,
                        "SentencePiece.piece").readString();
                case PIECE_SCORE -> score = requireWireType(piece, tag, ProtoReader.FIXED32,
                        "SentencePiece.score").readFixed32Float();
                case PIECE_TYPE -> {
                    long number = varint(piece, tag);
                    type = PieceType.of(number);
                    if (type == null) {
                        throw piece.malformed("piece " + pieces.size() + " has unknown type " + number);
                    }
                }
                default -> piece.skip(ProtoReader.wireType(tag));
            }
        }
        if (text == null || text.isEmpty()) {
            throw piece.malformed("piece " + pieces.size() + " has no text");
        }
        pieces.add(text);
        scores.add(score);
        types.add(type);
    }

    private static NormalizerSpec readNormalizer(ProtoReader spec) {
        byte[] charsMap = new byte[0];
        boolean dummyPrefix = true;
        boolean removeWhitespaces = true;
        boolean escapeWhitespaces = true;
        while (spec.hasMore()) {
            int tag = spec.readTag();
            switch (ProtoReader.fieldNumber(tag)) {
                case NORMALIZER_CHARSMAP -> charsMap = requireWireType(spec, tag, ProtoReader.LENGTH_DELIMITED,
                        "NormalizerSpec.precompiled_charsmap").readBytes();
                case NORMALIZER_ADD_DUMMY_PREFIX -> dummyPrefix = varint(spec, tag) != 0;
                case NORMALIZER_REMOVE_EXTRA_WHITESPACES -> removeWhitespaces = varint(spec, tag) != 0;
                case NORMALIZER_ESCAPE_WHITESPACES -> escapeWhitespaces = varint(spec, tag) != 0;
                default -> spec.skip(ProtoReader.wireType(tag));
            }
        }
        return new NormalizerSpec(charsMap, dummyPrefix, removeWhitespaces, escapeWhitespaces);
    }

    private static Algorithm algorithm(long modelType, String source) {
        return switch ((int) modelType) {
            case 1 -> Algorithm.UNIGRAM;
            case 2 -> Algorithm.BPE;
            default -> throw new FormatException(source + ": trainer_spec.model_type " + modelType
                    + " is not supported (only UNIGRAM = 1 and BPE = 2)");
        };
    }

    private static int unknownId(PieceType[] types, String source) {
        int unkId = -1;
        for (int id = 0; id < types.length; id++) {
            if (types[id] == PieceType.UNKNOWN) {
                if (unkId >= 0) {
                    throw new FormatException(source + ": pieces " + unkId + " and " + id + " are both UNKNOWN");
                }
                unkId = id;
            }
        }
        if (unkId < 0) {
            throw new FormatException(source + ": no piece has type UNKNOWN");
        }
        return unkId;
    }

    private static ProtoReader message(ProtoReader reader, int tag, String field) {
        return requireWireType(reader, tag, ProtoReader.LENGTH_DELIMITED, field).readMessage();
    }

    private static long varint(ProtoReader reader, int tag) {
        return requireWireType(reader, tag, ProtoReader.VARINT, "field " + ProtoReader.fieldNumber(tag))
                .readVarint();
    }

    private static ProtoReader requireWireType(ProtoReader reader, int tag, int wireType, String field) {
        if (ProtoReader.wireType(tag) != wireType) {
            throw reader.malformed(field + " has wire type " + ProtoReader.wireType(tag) + ", expected " + wireType);
        }
        return reader;
    }

    /** Piece text to id for the pieces text can be segmented into (NORMAL, USER_DEFINED, UNUSED). */
    Map<String, Integer> textPieceIds() {
        Map<String, Integer> ids = new HashMap<>(pieces.length * 2);
        for (int id = 0; id < pieces.length; id++) {
            if (types[id].matchesText()) {
                ids.putIfAbsent(pieces[id], id);
            }
        }
        return ids;
    }

    /** Id of the byte piece {@code <0xNN>} per byte value; a FormatException when byte_fallback lacks one. */
    int[] bytePieceIds() {
        int[] ids = new int[256];
        Arrays.fill(ids, -1);
        for (int id = 0; id < pieces.length; id++) {
            if (types[id] == PieceType.BYTE && pieces[id].matches("<0x[0-9A-F]{2}>")) {
                ids[Integer.parseInt(pieces[id].substring(3, 5), 16)] = id;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (ids[b] < 0) {
                throw new FormatException(source + ": trainer_spec.byte_fallback is set but there is no byte piece <0x"
                        + String.format("%02X", b) + ">");
            }
        }
        return ids;
    }

    /** The USER_DEFINED pieces, which text keeps whole. */
    List<String> userDefinedPieces() {
        List<String> userDefined = new ArrayList<>();
        for (int id = 0; id < pieces.length; id++) {
            if (types[id] == PieceType.USER_DEFINED) {
                userDefined.add(pieces[id]);
            }
        }
        return userDefined;
    }

    /** Number of pieces, the vocabulary size. */
    int size() {
        return pieces.length;
    }
}
