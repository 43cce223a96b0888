package dev.aperture.models.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aperture.core.ApertureException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the hub's safetensors conversion pull request for a revision, by transformers' rule
 * ({@code safetensors_conversion.previous_pr}): the first of the repository's discussions that is an open pull
 * request titled {@link ConversionPullRequest#TITLE}, opened by {@link ConversionPullRequest#AUTHOR}, whose parent
 * commit is the revision's head commit. A same-title pull request by anyone else, a closed one, and one that
 * converted an older commit are passed over. It only reads: it never asks the hub to convert anything.
 *
 * <p>Its requests, all to the hub's API with the token as other hub requests:
 * <ul>
 *   <li>{@code GET /api/models/{repo}/discussions?p=0, 1, ...}: pages of
 *       {@code {"discussions": [{num, title, status, isPullRequest, author: {name}}, ...], "count", "start"}},
 *       read while {@code start + discussions < count};</li>
 *   <li>{@code GET /api/models/{repo}/commits/{revision}}, once, at the first candidate: the revision's commits,
 *       newest first, whose first must be the commit the file requests resolved (else the branch moved);</li>
 *   <li>{@code GET /api/models/{repo}/commits/refs%2Fpr%2F{num}} per candidate: its head, then its parent.</li>
 * </ul>
 * A hub that answers 401, 403 or 404 for any of them (discussions disabled, a hidden pull request) offers no pull
 * request through it. Pages and candidates are capped, and each answer's size ({@link HubClient#getJson}), so that
 * a hostile server can neither keep us looping nor exhaust memory: past the caps none is found, and the caller
 * falls back to the revision's own weights.
 */
final class ConversionPullRequests {

    /** Pages of discussions read at most (the hub sends 50 a page: 5,000 discussions). */
    static final int MAX_PAGES = 100;
    /** Candidates whose commits are listed at most: each costs a request. */
    static final int MAX_CANDIDATES = 20;

    private final HubClient client;
    private final HubRef ref;
    private final String headCommit;
    private Boolean headListed;
    private int candidatesChecked;

    private ConversionPullRequests(HubClient client, HubRef ref, String headCommit) {
        this.client = client;
        this.ref = ref;
        this.headCommit = headCommit;
    }

    /**
     * The conversion pull request of {@code ref}, whose head the file requests resolved to {@code headCommit}.
     *
     * @throws ApertureException if the revision's commit list starts at another commit (the branch moved)
     * @throws HubClient.UnreachableException if the hub cannot be reached
     */
    static Optional<ConversionPullRequest> find(HubClient client, HubRef ref, String headCommit) {
        return new ConversionPullRequests(client, ref, headCommit).find();
    }

    private Optional<ConversionPullRequest> find() {
        boolean morePages = true;
        for (int page = 0; morePages && page < MAX_PAGES; page++) {
            Optional<JsonNode> answer = client.getJson(discussionsPage(page));
            JsonNode discussions = answer.map(body -> body.path("discussions")).orElse(null);
            if (discussions == null || !discussions.isArray()) {
                return Optional.empty();
            }
            for (JsonNode discussion : discussions) {
                if (!isCandidate(discussion)) {
                    continue;
                }
                if (candidatesChecked++ == MAX_CANDIDATES || !headIsListed()) {
                    return Optional.empty();
                }
                Optional<ConversionPullRequest> found = onHead(discussion.get("num").intValue());
                if (found.isPresent()) {
                    return found;
                }
            }
            long start = answer.get().path("start").asLong();
            long count = answer.get().path("count").asLong();
            morePages = !discussions.isEmpty() && start + discussions.size() < count;
        }
        return Optional.empty();
    }

    private URI discussionsPage(int page) {
        return URI.create(client.apiUrl(ref.repoId(), "discussions") + "?p=" + page);
    }

    /** An open pull request by the bot with the bot's title: its parent commit remains to be checked. */
    private static boolean isCandidate(JsonNode discussion) {
        JsonNode number = discussion.path("num");
        JsonNode isPullRequest = discussion.path("isPullRequest");
        return "open".equals(text(discussion.path("status")))
                && isPullRequest.isBoolean() && isPullRequest.booleanValue()
                && ConversionPullRequest.TITLE.equals(text(discussion.path("title")))
                && ConversionPullRequest.AUTHOR.equals(text(discussion.path("author").path("name")))
                && number.isIntegralNumber() && number.canConvertToInt() && number.intValue() > 0;
    }

    /**
     * Whether the hub lists the revision's commits starting at {@code headCommit}: only then can a parent be
     * compared with it. Asked once.
     */
    private boolean headIsListed() {
        if (headListed == null) {
            List<String> commits = firstCommits(ref.revision());
            if (!commits.isEmpty() && !commits.getFirst().equals(headCommit)) {
                throw new ApertureException("revision '" + ref.revision() + "' of hub model " + ref.repoId()
                        + " moved while it was being resolved: its files came from commit " + headCommit
                        + ", but its commit list now starts at " + commits.getFirst() + "; run again");
            }
            headListed = !commits.isEmpty();
        }
        return headListed;
    }

    /** The pull request when its parent commit is the revision's head. */
    private Optional<ConversionPullRequest> onHead(int number) {
        List<String> commits = firstCommits("refs/pr/" + number);
        if (commits.size() < 2 || !commits.get(1).equals(headCommit)) {
            return Optional.empty();
        }
        return Optional.of(new ConversionPullRequest(number, commits.getFirst()));
    }

    /** The ids of the first two commits of a revision's history (newest first), up to the first malformed one. */
    private List<String> firstCommits(String revision) {
        JsonNode commits = client.getJson(client.apiUrl(ref.repoId(), "commits", revision)).orElse(null);
        List<String> ids = new ArrayList<>();
        if (commits == null || !commits.isArray()) {
            return ids;
        }
        for (int i = 0; i < Math.min(2, commits.size()); i++) {
            String id = text(commits.get(i).path("id"));
            if (!HubRef.isCommitHash(id)) {
                break;
            }
            ids.add(id);
        }
        return ids;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }
}
