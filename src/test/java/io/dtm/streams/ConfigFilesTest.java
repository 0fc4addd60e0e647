package io.dtm.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    record Item(String id, Integer size) {
    }

    record File(List<Item> items) {
    }

    private static File parse(String text) {
        return ConfigFiles.parse(text.getBytes(StandardCharsets.UTF_8), "test.yaml", "test file", File.class);
    }

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void shouldReadYamlAndJsonAlike() {
        File expected = new File(List.of(new Item("a", 2)));
        assertEquals(expected, parse("items:\n  - id: a\n    size: 2\n"));
        assertEquals(expected, parse("{\"items\": [{\"id\": \"a\", \"size\": 2}]}"));
    }

    @Test
    void shouldNameTheFileAndTheUnknownField() {
        assertEquals("test file test.yaml: unknown field 'sise' at io.dtm.streams.ConfigFilesTest$File[\"items\"]"
                + "->java.util.ArrayList[0]->io.dtm.streams.ConfigFilesTest$Item[\"sise\"]",
                failure(() -> parse("items:\n  - id: a\n    sise: 2\n")));
    }

    @Test
    void shouldTellBadSyntaxFromAValueOfTheWrongType() {
        String syntax = failure(() -> parse("items: [ {"));
        assertEquals(0, syntax.indexOf("test file test.yaml is not valid YAML: "), syntax);
        String type = failure(() -> parse("items:\n  - id: a\n    size: big\n"));
        assertEquals(0, type.indexOf("test file test.yaml is invalid: "), type);
    }

    @Test
    void shouldListEveryProblemOnALineOfItsOwn() {
        ConfigFiles.check(List.of(), "test.yaml", "test file");
        assertEquals("test file test.yaml is invalid:\n  item 0: one\n  item 1: two",
                failure(() -> ConfigFiles.check(List.of("item 0: one", "item 1: two"), "test.yaml", "test file")));
    }

    @Test
    void shouldLoadAPathOrAClasspathResourceAndNameAMissingOne(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("items.yaml"), "items: [{id: b}]\n");
        assertEquals(new File(List.of(new Item("b", null))),
                ConfigFiles.load(file.toString(), "test file", File.class));
        assertEquals("test file classpath:no-such.yaml not found",
                failure(() -> ConfigFiles.load("classpath:no-such.yaml", "test file", File.class)));
        String missing = failure(() -> ConfigFiles.load(dir.resolve("nope.yaml").toString(), "test file", File.class));
        assertEquals(0, missing.indexOf("cannot read the test file " + dir.resolve("nope.yaml")), missing);
    }
}
