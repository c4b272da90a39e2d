package io.github.genij.site;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

/** Script templates travel in the jar, where the Script Editor finds them, and name real GenIJ commands. */
class ScriptTemplatesTest {

	@Test
	void everyTemplateRunsAGenIJCommandThatExists() throws Exception {
		Set<String> labels = new HashSet<>();
		try (Context context = new Context()) {
			for (CommandInfo c : context.service(CommandService.class).getCommands())
				if (c.getClassName().startsWith("io.github.genij.") && c.getMenuPath() != null)
					labels.add(c.getMenuPath().getLeaf().getName());
		}
		Pattern run = Pattern.compile("run\\(\"([^\"]+)\"");
		for (String t : new String[] { "Style_Transfer_Gatys.ijm", "Translate_Active_Image.ijm", "Import_Checkpoint.ijm",
			"StyleGAN_Sample_Seeds.ijm", "Segmentation_to_Photo_SPADE.ijm", "PixelCNN_Likelihood_Map.ijm" }) {
			try (InputStream in = getClass().getResourceAsStream("/script_templates/GenIJ/" + t)) {
				assertNotNull(in, t + " is in the jar's script_templates/GenIJ");
				String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				Matcher m = run.matcher(text);
				assertTrue(m.find(), t + " runs a command");
				assertTrue(labels.contains(m.group(1)), t + " runs '" + m.group(1) + "', a GenIJ command");
				assertFalse(text.contains("IJ.run"), t);
			}
		}
	}
}
