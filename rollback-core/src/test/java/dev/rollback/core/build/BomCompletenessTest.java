package dev.rollback.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * rollback-bom must list every module of the reactor that is published, at the reactor's version,
 * and nothing else (resilience4j's hand-written BOM drifted; ours is checked).
 */
class BomCompletenessTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void theBomListsEveryPublishedModuleAtTheReactorVersion() throws Exception {
    Document parent = parse(ROOT.resolve("pom.xml"));
    String version = text(parent.getDocumentElement(), "version");
    Map<String, String> published = new TreeMap<>();
    for (String module : children(parent.getDocumentElement(), "modules", "module")) {
      if (module.equals("rollback-bom")) {
        continue;
      }
      Document pom = parse(ROOT.resolve(module).resolve("pom.xml"));
      Element props = first(pom.getDocumentElement(), "properties");
      boolean skipped = props != null && "true".equals(text(props, "maven.deploy.skip"));
      if (!skipped) {
        published.put(text(pom.getDocumentElement(), "artifactId"), version);
      }
    }

    Document bom = parse(ROOT.resolve("rollback-bom/pom.xml"));
    assertThat(text(bom.getDocumentElement(), "version")).as("BOM version").isEqualTo(version);
    Map<String, String> listed = new TreeMap<>();
    Element dm = first(bom.getDocumentElement(), "dependencyManagement");
    NodeList deps = first(dm, "dependencies").getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      assertThat(text(d, "groupId")).isEqualTo("dev.rollback");
      listed.put(text(d, "artifactId"), text(d, "version"));
    }

    assertThat(published).as("published modules").containsKey("rollback-core");
    assertThat(listed).as("rollback-bom/pom.xml dependencyManagement").isEqualTo(published);
  }

  private static Document parse(Path p) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(Files.newInputStream(p));
  }

  private static Element first(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static String text(Element parent, String name) {
    Element e = first(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  private static List<String> children(Element parent, String container, String name) {
    List<String> out = new ArrayList<>();
    Element c = first(parent, container);
    for (Node n = c.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e.getTextContent().trim());
      }
    }
    return out;
  }
}
